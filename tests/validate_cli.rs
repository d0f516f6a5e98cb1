//! The `pathlight-validate` command line, run as a CI pipeline runs it: the
//! built binary on real files, asserting its exact output and exit status.

use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_pathlight-validate");

/// The run of the binary: exit status, stdout, stderr.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

/// Run the binary in `dir` with `args`.
fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Run the binary from the repository root, where `www/pathlight/` is.
fn run(args: &[&str]) -> Run {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A fresh directory for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("validate_cli")
        .join(test);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("create the scratch directory");
    dir
}

/// A config with four problems of different kinds: a typo with a hint, a
/// value out of range, an empty condition, a duplicate id.
const BROKEN_CONFIG: &str = r#"{
  "version": 1,
  "triggers": [
    {
      "id": "checkout-help",
      "when": { "page": "/checkout", "dwel": 4 },
      "message": "Having trouble paying?",
      "answers": ["card-declined"],
      "priority": 5000
    },
    { "id": "checkout-help", "when": {}, "message": "Hi", "tags": ["payment"] }
  ]
}"#;

const BROKEN_LINES: [&str; 4] = [
    "broken.json: /triggers/0/when/dwel: unknown condition `dwel` (did you mean `dwellSeconds`?)",
    "broken.json: /triggers/0/priority: must be a whole number between -1000 and 1000",
    "broken.json: /triggers/1/when: needs at least one condition (for example {\"page\": \"/checkout\"})",
    "broken.json: /triggers/1/id: duplicate trigger id `checkout-help`",
];

#[test]
fn a_valid_config_passes_quietly() {
    let dir = scratch("valid");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("www/pathlight/config.json");
    fs::copy(demo, dir.join("config.json")).expect("copy the demo config");
    let r = run_in(&dir, &["config.json"]);
    assert_eq!(r.lines(), ["1 file checked, 0 problems"]);
    assert_eq!(r.stderr, "");
    assert_eq!(r.code, 0);
}

#[test]
fn a_broken_config_prints_one_line_per_problem_and_exits_1() {
    let dir = scratch("broken");
    fs::write(dir.join("broken.json"), BROKEN_CONFIG).unwrap();
    let r = run_in(&dir, &["broken.json"]);
    let mut want = BROKEN_LINES.to_vec();
    want.push("1 file checked, 4 problems");
    assert_eq!(r.lines(), want);
    assert_eq!(r.stderr, "");
    assert_eq!(r.code, 1);
}

#[test]
fn a_syntax_error_names_the_line_and_column() {
    let dir = scratch("syntax");
    fs::write(
        dir.join("syntax.json"),
        "{\"version\": 1, \"triggers\": [\n  {\"id\": \"a\",}\n]}",
    )
    .unwrap();
    let r = run_in(&dir, &["syntax.json"]);
    assert_eq!(
        r.lines(),
        [
            "syntax.json: /: is not valid JSON: trailing comma at line 2 column 14",
            "1 file checked, 1 problem",
        ]
    );
    assert_eq!(r.code, 1);
}

#[test]
fn every_file_is_checked_and_any_problem_fails_the_run() {
    let dir = scratch("mixed");
    fs::write(dir.join("broken.json"), BROKEN_CONFIG).unwrap();
    fs::write(dir.join("empty.json"), r#"{"version": 1, "triggers": []}"#).unwrap();
    let r = run_in(&dir, &["empty.json", "broken.json", "empty.json"]);
    let mut want = BROKEN_LINES.to_vec();
    want.push("3 files checked, 4 problems");
    assert_eq!(r.lines(), want);
    assert_eq!(r.code, 1);
}

#[test]
fn json_output_is_one_object_per_file() {
    let dir = scratch("json");
    fs::write(dir.join("broken.json"), BROKEN_CONFIG).unwrap();
    fs::write(dir.join("ok.json"), r#"{"version": 1, "triggers": []}"#).unwrap();
    let r = run_in(&dir, &["--json", "ok.json", "broken.json"]);
    assert_eq!(r.code, 1);
    let reports: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(
        reports[0],
        json!({"file": "ok.json", "valid": true, "problems": []})
    );
    assert_eq!(reports[1]["file"], "broken.json");
    assert_eq!(reports[1]["valid"], false);
    let problems = reports[1]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 4);
    assert_eq!(
        problems[0],
        json!({"path": "/triggers/0/when/dwel", "message": "unknown condition `dwel`",
               "hint": "did you mean `dwellSeconds`?"})
    );
    assert_eq!(
        problems[3],
        json!({"path": "/triggers/1/id", "message": "duplicate trigger id `checkout-help`",
               "hint": null})
    );
    assert_eq!(reports.len(), 2, "no summary line in JSON mode");
    // Keys in the documented order, for people reading the log.
    assert!(r
        .stdout
        .starts_with(r#"{"file":"ok.json","valid":true,"problems":[]}"#));
}

#[test]
fn a_missing_file_exits_2_after_checking_the_others() {
    let r = run(&["www/pathlight/config.json", "no-such-config.json"]);
    assert_eq!(
        r.lines(),
        ["1 file checked, 0 problems, 1 file could not be read"]
    );
    assert!(
        r.stderr
            .starts_with("pathlight-validate: cannot read no-such-config.json: "),
        "{}",
        r.stderr
    );
    assert_eq!(r.code, 2);

    let r = run(&["--json", "no-such-config.json"]);
    let report: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(report["valid"], false);
    assert_eq!(report["problems"], json!([]));
    // The operating system's reason, as on stderr.
    let reason = report["error"].as_str().unwrap();
    assert!(!reason.is_empty());
    assert_eq!(
        r.stderr,
        format!("pathlight-validate: cannot read no-such-config.json: {reason}\n")
    );
    assert_eq!(r.code, 2);
}

#[test]
fn a_directory_is_not_a_file() {
    let r = run(&["www"]);
    assert_eq!(
        r.stderr,
        "pathlight-validate: cannot read www: is a directory\n"
    );
    assert_eq!(r.code, 2);
}

#[test]
fn answer_documents_are_checked_with_answers() {
    // The demo keeps one deliberately stale answer: a warning, not a failure.
    let r = run(&["--answers", "www/pathlight/answers.json"]);
    assert_eq!(r.lines().len(), 2, "{}", r.stdout);
    assert!(r.lines()[0].starts_with(
        "www/pathlight/answers.json: warning: /answers/18: `summer-sale-returns` is stale"
    ));
    assert_eq!(
        r.lines()[1],
        "1 file checked, 0 problems, 1 stale answer to review"
    );
    assert_eq!(r.code, 0);

    // An answer document is not a config, and a config is not answers.
    let r = run(&["www/pathlight/answers.json"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stdout
        .contains("www/pathlight/answers.json: /triggers: is required"));
    let r = run(&["--answers", "www/pathlight/config.json"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stdout
        .contains("www/pathlight/config.json: /answers: is required"));
}

#[test]
fn a_broken_answer_is_reported_at_its_path() {
    let dir = scratch("answers");
    fs::write(
        dir.join("answers.json"),
        r#"{"version": 1, "answers": [{"id": "a", "title": "T", "body": "B", "url": "javascript:alert(1)"}]}"#,
    )
    .unwrap();
    let r = run_in(&dir, &["--answers", "--json", "answers.json"]);
    let report: Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(report["problems"][0]["path"], "/answers/0/url");
    assert_eq!(r.code, 1);
}

#[test]
fn files_over_10_mb_are_refused_without_reading_them() {
    let dir = scratch("large");
    // Sparse: 11 MiB long without writing 11 MiB.
    let big = fs::File::create(dir.join("big.json")).unwrap();
    big.set_len(11 * 1024 * 1024).unwrap();
    let r = run_in(&dir, &["big.json"]);
    assert_eq!(
        r.lines(),
        [
            "big.json: /: is 11534336 bytes: files over 10 MB (10485760 bytes) are not read \
             (Pathlight accepts documents up to 2 MB)",
            "1 file checked, 1 problem",
        ]
    );
    assert_eq!(r.code, 1);
}

#[test]
fn usage_errors_exit_2() {
    for args in [&[][..], &["--jsn", "a.json"][..], &["--json"][..]] {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert!(
            r.stderr.contains("usage: pathlight-validate"),
            "{args:?}: {}",
            r.stderr
        );
    }
    let r = run(&["--jsn", "a.json"]);
    assert!(r
        .stderr
        .starts_with("pathlight-validate: unknown option `--jsn`\n"));

    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("usage: pathlight-validate"));
}

#[test]
fn stale_answers_are_listed_for_review_without_failing_the_check() {
    let dir = scratch("stale");
    let doc = json!({"version": 1, "answers": [
        {"id": "fresh", "title": "T", "body": "B"},
        {"id": "old-sale", "title": "T", "body": "B", "reviewedAt": "2024-01-01", "reviewEveryDays": 30}
    ]});
    fs::write(dir.join("answers.json"), doc.to_string()).unwrap();
    let r = run_in(&dir, &["--answers", "answers.json"]);
    assert_eq!(r.code, 0, "stale answers are warnings: {}", r.stderr);
    assert_eq!(
        r.lines(),
        [
            "answers.json: warning: /answers/1: `old-sale` is stale: its review was due 2024-01-31 \
             (review it, then update reviewedAt; stale answers are never shown in nudges)",
            "1 file checked, 0 problems, 1 stale answer to review",
        ]
    );
    let j = run_in(&dir, &["--answers", "--json", "answers.json"]);
    let report: Value = serde_json::from_str(j.lines()[0]).unwrap();
    assert_eq!(report["valid"], true);
    assert_eq!(report["stale"][0]["path"], "/answers/1");
}
