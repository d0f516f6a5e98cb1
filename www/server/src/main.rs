//! `pathlight-server [--host 127.0.0.1] [--port 8080] [--db www/data/pathlight.db]
//! [--root www] [--pkg pkg]`: serves the demo until SIGINT or SIGTERM.

use pathlight_server::{app, AppState, Config};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: pathlight-server [--host 127.0.0.1] [--port 8080] [--db www/data/pathlight.db] [--root www] [--pkg pkg]";

/// The command line.
struct Args {
    host: String,
    port: u16,
    config: Config,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        host: "127.0.0.1".into(),
        port: 8080,
        config: Config {
            db: "www/data/pathlight.db".into(),
            root: "www".into(),
            pkg: "pkg".into(),
        },
    };
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Err(USAGE.into());
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let value = match inline.or_else(|| args.next()) {
            Some(value) => value,
            None => return Err(format!("{name} needs a value\n{USAGE}")),
        };
        match name.as_str() {
            "--host" => parsed.host = value,
            "--port" => {
                parsed.port = value.parse().map_err(|_| {
                    format!("--port must be a number from 0 to 65535, not {value:?}")
                })?;
            }
            "--db" => parsed.config.db = value.into(),
            "--root" => parsed.config.root = value.into(),
            "--pkg" => parsed.config.pkg = value.into(),
            _ => return Err(format!("unknown option {name}\n{USAGE}")),
        }
    }
    Ok(parsed)
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn stop_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let state = match AppState::open(&args.config) {
        Ok(state) => state,
        Err(e) => {
            eprintln!("pathlight-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!(
                "pathlight-server: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let port = listener.local_addr().map_or(args.port, |a| a.port());
    let host = if args.host.contains(':') {
        format!("[{}]", args.host)
    } else {
        args.host.clone()
    };
    let mut stdout = std::io::stdout();
    // A closed stdout must not stop the server.
    let _ = writeln!(stdout, "Pathlight demo: http://{host}:{port}/");
    let _ = stdout.flush();

    let stopping = state.clone();
    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(async move {
            stop_signal().await;
            stopping.shutdown();
        })
        .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pathlight-server: {e}");
            ExitCode::FAILURE
        }
    }
}
