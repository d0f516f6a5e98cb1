//! `pathlight-validate`: check trigger configs or answer documents, for CI.
//!
//! ```text
//! pathlight-validate [--answers] [--json] FILE...
//! ```
//!
//! * Without `--answers` every FILE is a trigger config
//!   (`schema/config.v1.schema.json`); with it, every FILE is an answer
//!   document (`schema/answers.v1.schema.json`).
//! * Each file gets the verdict `Pathlight.validate` / `validateAnswers` would
//!   give the same text in the browser: the library's own validation, plus the
//!   runtime's limits (documents over 2 MB, JSON nested deeper than 128 levels).
//! * Output, on stdout: one line per problem, like a compiler, then a summary:
//!
//!   ```text
//!   config.json: /triggers/0/when/dwel: unknown condition `dwel` (did you mean `dwellSeconds`?)
//!   1 file checked, 1 problem
//!   ```
//!
//!   With `--json`, one JSON object per file and line instead (no summary):
//!
//!   ```text
//!   {"file":"config.json","valid":false,"problems":[{"path":"/triggers/0/when/dwel","message":"unknown condition `dwel`","hint":"did you mean `dwellSeconds`?"}]}
//!   ```
//!
//!   `path` is the exact JSON Pointer (`""` is the whole document; the human
//!   output writes it as `/`), `hint` is `null` when there is none. A file that
//!   could not be read has `"valid": false`, an `"error"` and no problems.
//! * Exit status: 0 when every file is valid, 1 when any problem was found, 2
//!   on a usage error or a file that cannot be read (reason on stderr; the
//!   other files are still checked). A file over 10 MB is not read: it gets
//!   one problem saying so (status 1).
//!
//! `docs/validate.md` shows how to run it in CI.

use pathlight::{config, Knowledge, Problem};
use serde_json::Value;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const SHORT_USAGE: &str = "usage: pathlight-validate [--answers] [--json] FILE...";

const USAGE: &str = "usage: pathlight-validate [--answers] [--json] FILE...

Checks Pathlight trigger configs (or, with --answers, answer documents).
  --answers   the files are answer documents
  --json      print one JSON object per file instead of one line per problem
  -h, --help  print this help

Exit status: 0 all valid, 1 problems found, 2 usage error or unreadable file.";

/// Files larger than this are refused without being read.
const MAX_FILE: u64 = 10 * 1024 * 1024;

use pathlight::validate::MAX_DOCUMENT;

/// What the files are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Config,
    Answers,
}

/// The parsed command line.
#[derive(Debug, PartialEq)]
struct Options {
    kind: Kind,
    json: bool,
    files: Vec<PathBuf>,
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Check(Options),
}

/// The verdict on one file.
enum Outcome {
    /// The file was read; these are its problems (none when it is valid),
    /// and for a valid answer document, its stale answers (warnings: they
    /// do not fail the check, but a team should review them).
    Checked(Vec<Problem>, Vec<Problem>),
    /// The file could not be read; the reason.
    Unreadable(String),
}

fn main() -> ExitCode {
    let command = match parse_args(std::env::args_os().skip(1)) {
        Ok(c) => c,
        Err(message) => {
            eprintln!("pathlight-validate: {message}\n{SHORT_USAGE}\n(--help for more)");
            return ExitCode::from(2);
        }
    };
    let options = match command {
        Command::Help => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::Check(options) => options,
    };
    let stdout = io::stdout();
    let mut out = Output::new(BufWriter::new(stdout.lock()));
    let code = run(&options, &mut out);
    match out.finish() {
        Ok(()) => ExitCode::from(code),
        // `pathlight-validate ... | head`: the reader stopped early, but the
        // exit status still tells whether every file is valid.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(code),
        Err(e) => {
            eprintln!("pathlight-validate: cannot write the output: {e}");
            ExitCode::from(2)
        }
    }
}

/// Lines to stdout. The first write error stops the output but not the
/// checking, and is reported by [`Output::finish`].
struct Output<W: Write> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: Write> Output<W> {
    fn new(inner: W) -> Self {
        Output { inner, error: None }
    }

    fn line(&mut self, line: &str) {
        if self.error.is_none() {
            if let Err(e) = writeln!(self.inner, "{line}") {
                self.error = Some(e);
            }
        }
    }

    /// Write out what is buffered, so a message on stderr comes after the
    /// lines of the files before it.
    fn flush(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.inner.flush() {
                self.error = Some(e);
            }
        }
    }

    fn finish(mut self) -> io::Result<()> {
        match self.error.take() {
            Some(e) => Err(e),
            None => self.inner.flush(),
        }
    }
}

/// Read the arguments (without the program name). `Err` is a usage error.
fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut kind = Kind::Config;
    let mut json = false;
    let mut files = Vec::new();
    let mut options_done = false;
    for arg in args {
        if options_done {
            files.push(PathBuf::from(arg));
            continue;
        }
        match arg.to_str() {
            Some("--answers") => kind = Kind::Answers,
            Some("--json") => json = true,
            Some("-h" | "--help") => return Ok(Command::Help),
            Some("--") => options_done = true,
            Some(s) if s.starts_with('-') && s.len() > 1 => {
                return Err(format!("unknown option `{s}`"));
            }
            _ => files.push(PathBuf::from(arg)),
        }
    }
    if files.is_empty() {
        return Err("no files given".into());
    }
    Ok(Command::Check(Options { kind, json, files }))
}

/// Check every file, write the report to `out`, and return the exit status.
fn run(options: &Options, out: &mut Output<impl Write>) -> u8 {
    let mut checked = 0usize;
    let mut problems = 0usize;
    let mut unreadable = 0usize;
    let mut stale = 0usize;
    for file in &options.files {
        let name = file.display().to_string();
        let outcome = check_file(file, options.kind);
        match &outcome {
            Outcome::Checked(found, warnings) => {
                checked += 1;
                problems += found.len();
                stale += warnings.len();
            }
            Outcome::Unreadable(reason) => {
                unreadable += 1;
                out.flush();
                eprintln!("pathlight-validate: cannot read {name}: {reason}");
            }
        }
        if options.json {
            out.line(&json_report(&name, &outcome));
        } else if let Outcome::Checked(found, warnings) = &outcome {
            for p in found {
                out.line(&format!("{name}: {}", human_line(p)));
            }
            for w in warnings {
                out.line(&format!("{name}: warning: {}", human_line(w)));
            }
        }
    }
    if !options.json {
        let mut summary = format!(
            "{} checked, {}",
            plural(checked, "file", "files"),
            plural(problems, "problem", "problems")
        );
        if stale > 0 {
            summary.push_str(&format!(
                ", {} to review",
                plural(stale, "stale answer", "stale answers")
            ));
        }
        if unreadable > 0 {
            summary.push_str(&format!(
                ", {} could not be read",
                plural(unreadable, "file", "files")
            ));
        }
        out.line(&summary);
    }
    if unreadable > 0 {
        2
    } else if problems > 0 {
        1
    } else {
        0
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `/json/pointer: message (hint)`; the whole document is written `/`, as the
/// library's own error messages do.
fn human_line(p: &Problem) -> String {
    let path = if p.path.is_empty() { "/" } else { &p.path };
    match &p.hint {
        Some(hint) => format!("{path}: {} ({hint})", p.message),
        None => format!("{path}: {}", p.message),
    }
}

/// `{"file", "valid", "problems": [{"path", "message", "hint"}]}` on one
/// line, keys in that order, plus `"error"` for a file that could not be read.
fn json_report(name: &str, outcome: &Outcome) -> String {
    let (valid, error, problems, stale): (bool, Option<&str>, &[Problem], &[Problem]) =
        match outcome {
            Outcome::Checked(found, stale) => (found.is_empty(), None, found, stale),
            Outcome::Unreadable(reason) => (false, Some(reason), &[], &[]),
        };
    let mut line = format!(r#"{{"file":{},"valid":{valid}"#, json_string(name));
    if let Some(error) = error {
        line.push_str(&format!(r#","error":{}"#, json_string(error)));
    }
    let list = |items: &[Problem]| -> String {
        let parts: Vec<String> = items
            .iter()
            .map(|p| {
                let hint = p.hint.as_deref().map_or("null".into(), json_string);
                format!(
                    r#"{{"path":{},"message":{},"hint":{hint}}}"#,
                    json_string(&p.path),
                    json_string(&p.message)
                )
            })
            .collect();
        parts.join(",")
    };
    line.push_str(&format!(r#","problems":[{}]"#, list(problems)));
    if !stale.is_empty() {
        line.push_str(&format!(r#","stale":[{}]"#, list(stale)));
    }
    line.push('}');
    line
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    Value::from(s).to_string()
}

/// A problem with the whole document.
fn whole(message: String, hint: Option<&str>) -> Problem {
    Problem {
        path: String::new(),
        message,
        hint: hint.map(str::to_string),
    }
}

fn too_large(bytes: u64) -> Problem {
    whole(
        format!("is {bytes} bytes: files over 10 MB ({MAX_FILE} bytes) are not read"),
        Some("Pathlight accepts documents up to 2 MB"),
    )
}

/// Read one file (never more than [`MAX_FILE`] bytes of it) and check it.
fn check_file(path: &Path, kind: Kind) -> Outcome {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return Outcome::Unreadable(e.to_string()),
    };
    if meta.is_dir() {
        return Outcome::Unreadable("is a directory".into());
    }
    if meta.len() > MAX_FILE {
        return Outcome::Checked(vec![too_large(meta.len())], Vec::new());
    }
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return Outcome::Unreadable(e.to_string()),
    };
    // The file may have grown since `metadata`, or be a pipe: read one byte
    // past the limit to notice without holding more than that.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    if let Err(e) = file.take(MAX_FILE + 1).read_to_end(&mut bytes) {
        return Outcome::Unreadable(e.to_string());
    }
    if bytes.len() as u64 > MAX_FILE {
        return Outcome::Checked(vec![too_large(bytes.len() as u64)], Vec::new());
    }
    let problems = check_bytes(&bytes, kind);
    let stale = match kind {
        Kind::Answers if problems.is_empty() => stale_answers(&bytes),
        _ => Vec::new(),
    };
    Outcome::Checked(problems, stale)
}

/// The answers of a valid document that are past their review date now.
fn stale_answers(bytes: &[u8]) -> Vec<Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let Ok(k) = Knowledge::from_json(text) else {
        return Vec::new();
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    k.answers()
        .iter()
        .enumerate()
        .filter(|(_, a)| a.is_stale(now))
        .map(|(i, a)| {
            let due = a.due_at().map(pathlight::time::iso8601).unwrap_or_default();
            Problem {
                path: format!("/answers/{i}"),
                message: format!(
                    "`{}` is stale: its review was due {}",
                    a.id,
                    due.get(..10).unwrap_or("")
                ),
                hint: Some(
                    "review it, then update reviewedAt; stale answers are never shown in nudges"
                        .into(),
                ),
            }
        })
        .collect()
}

/// Every problem in a document's bytes, as the browser would see its text.
fn check_bytes(bytes: &[u8], kind: Kind) -> Vec<Problem> {
    // `fetch(...).text()` drops a byte order mark, so the browser accepts one.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = before.len()
                - before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1)
                + 1;
            return vec![whole(
                format!("is not UTF-8 text: invalid byte at line {line} column {column}"),
                Some("save the file as UTF-8"),
            )];
        }
    };
    let mut problems = Vec::new();
    if text.len() > MAX_DOCUMENT {
        problems.push(whole(
            format!("is larger than 2 MB ({} bytes)", text.len()),
            Some("Pathlight.init rejects documents over 2 MB"),
        ));
    }
    let value: Value = match pathlight::validate::parse_json(text) {
        Ok(v) => v,
        Err(p) => {
            problems.push(p);
            return problems;
        }
    };
    let found = match kind {
        Kind::Config => config::validate(&value),
        Kind::Answers => Knowledge::from_value(&value)
            .err()
            .and_then(|e| e.problems().cloned())
            .unwrap_or_default(),
    };
    problems.extend(found.0);
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Command, String> {
        parse_args(list.iter().map(OsString::from))
    }

    #[test]
    fn options_may_come_anywhere_and_double_dash_ends_them() {
        assert_eq!(
            args(&["a.json", "--json", "--answers", "--", "--b.json"]),
            Ok(Command::Check(Options {
                kind: Kind::Answers,
                json: true,
                files: vec!["a.json".into(), "--b.json".into()],
            }))
        );
        assert_eq!(args(&["a.json", "-h"]), Ok(Command::Help));
        assert_eq!(
            args(&["--jsn", "a.json"]),
            Err("unknown option `--jsn`".into())
        );
        assert_eq!(args(&["--json"]), Err("no files given".into()));
    }

    #[test]
    fn bytes_are_read_as_the_browser_reads_text() {
        let valid = br#"{"version": 1, "triggers": []}"#;
        assert!(check_bytes(valid, Kind::Config).is_empty());
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), valid].concat();
        assert!(check_bytes(&with_bom, Kind::Config).is_empty());

        let latin1 = b"{\"version\": 1,\n \"triggers\": [], \"$schema\": \"caf\xE9\"}";
        let p = check_bytes(latin1, Kind::Config);
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].message,
            "is not UTF-8 text: invalid byte at line 2 column 33"
        );

        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let p = check_bytes(deep.as_bytes(), Kind::Config);
        assert_eq!(p[0].message, "is nested too deeply (more than 128 levels)");
    }

    #[test]
    fn documents_over_two_megabytes_are_a_problem_but_still_validated() {
        let padding = " ".repeat(MAX_DOCUMENT);
        let doc = format!(r#"{{"version": 2, "triggers": []{padding}}}"#);
        let p = check_bytes(doc.as_bytes(), Kind::Config);
        let lines: Vec<String> = p.iter().map(human_line).collect();
        assert_eq!(
            lines,
            [
                format!(
                    "/: is larger than 2 MB ({} bytes) (Pathlight.init rejects documents over 2 MB)",
                    doc.len()
                ),
                "/version: unsupported version 2 (this release reads version 1)".to_string(),
            ]
        );
    }

    #[test]
    fn json_report_keeps_its_key_order_and_escapes_text() {
        let p = Problem {
            path: "/triggers/0/id".into(),
            message: "duplicate trigger id `a\"b`".into(),
            hint: None,
        };
        assert_eq!(
            json_report("dir/c\"fg.json", &Outcome::Checked(vec![p], vec![])),
            r#"{"file":"dir/c\"fg.json","valid":false,"problems":[{"path":"/triggers/0/id","message":"duplicate trigger id `a\"b`","hint":null}]}"#
        );
        assert_eq!(
            json_report("x.json", &Outcome::Unreadable("is a directory".into())),
            r#"{"file":"x.json","valid":false,"error":"is a directory","problems":[]}"#
        );
        let parsed: Value =
            serde_json::from_str(&json_report("ok.json", &Outcome::Checked(vec![], vec![])))
                .unwrap();
        assert_eq!(
            parsed,
            serde_json::json!({"file": "ok.json", "valid": true, "problems": []})
        );
    }

    #[test]
    fn answers_are_checked_as_answers() {
        let doc = br#"{"version": 1, "answers": [{"id": "a", "title": "T"}]}"#;
        let p = check_bytes(doc, Kind::Answers);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].path, "/answers/0/body");
        // The same text is no config.
        assert!(!check_bytes(doc, Kind::Config).is_empty());
    }
}
