//! Static files: `/pkg/**` from the package directory, everything else from
//! the site root, with clean URLs (`/checkout` → `checkout.html`, a
//! directory → its `index.html`) and the `/account/**` single-page app.
//! Pages under `/strict/` get a nonce and a strict CSP (see `csp.rs`).
//! Also the JSON 404 for unknown `/api` routes (this is the router's
//! fallback).

use crate::error::ApiError;
use crate::state::{AppState, Files};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The single-page app's directory under the site root.
const SPA: &str = "account";

/// A file found and read.
struct Found {
    path: PathBuf,
    bytes: Vec<u8>,
    etag: String,
}

/// The router's fallback: unknown `/api` routes (404 JSON), else a file.
pub async fn serve(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::not_found(format!("no API route {method} {path}")).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return ApiError::method_not_allowed("static files answer only GET and HEAD")
            .into_response();
    }
    let Some(segments) = segments(path) else {
        return not_found();
    };
    let strict = segments.first().is_some_and(|s| s == crate::csp::DIR);
    let files = std::sync::Arc::clone(&state.files);
    let found = tokio::task::spawn_blocking(move || find(&files, &segments)).await;
    let Ok(Some(found)) = found else {
        return not_found();
    };
    if strict && content_type(&found.path).starts_with("text/html") {
        return crate::csp::respond(found.bytes, &method, uri.query());
    }
    respond(found, &method, &headers)
}

fn not_found() -> Response {
    ApiError::not_found("not found").into_response()
}

fn respond(found: Found, method: &Method, headers: &HeaderMap) -> Response {
    let content_type = content_type(&found.path);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            tags.split(',')
                .any(|t| t.trim() == found.etag || t.trim() == "*")
        });
    let (status, body, length) = if fresh {
        (StatusCode::NOT_MODIFIED, Body::empty(), None)
    } else if method == Method::HEAD {
        (StatusCode::OK, Body::empty(), Some(found.bytes.len()))
    } else {
        let length = found.bytes.len();
        (StatusCode::OK, Body::from(found.bytes), Some(length))
    };
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(etag) = HeaderValue::from_str(&found.etag) {
        h.insert(header::ETAG, etag);
    }
    if let Some(length) = length {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    response
}

/// The URL path's segments, percent-decoded; `None` when it could reach
/// outside its root or into hidden files: `.`/`..` segments, dot-files,
/// encoded slashes, backslashes, NUL, invalid UTF-8.
fn segments(path: &str) -> Option<Vec<String>> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|raw| {
            let s = String::from_utf8(percent_decode(raw)?).ok()?;
            let refused = s.starts_with('.') || s.contains(['/', '\\', '\0']) || s.contains(':');
            (!refused).then_some(s)
        })
        .collect()
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let value = std::str::from_utf8(hex)
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())?;
            out.push(value);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Finds and reads the file for the segments (blocking).
fn find(files: &Files, segments: &[String]) -> Option<Found> {
    let (root, rest, spa) = match segments.split_first() {
        Some((first, rest)) if first == "pkg" => (files.pkg.as_path(), rest, false),
        _ => (files.root.as_path(), segments, true),
    };
    let root = std::fs::canonicalize(root).ok()?;
    let candidate =
        resolve(&root, rest).or_else(|| spa.then(|| spa_page(&root, rest)).flatten())?;
    read_confined(files, &root, &candidate)
}

/// `account/index.html` for an extension-less path under `/account/`.
fn spa_page(root: &Path, segments: &[String]) -> Option<PathBuf> {
    if segments.first().is_some_and(|s| s == SPA) && !has_extension(segments) {
        let index = root.join(SPA).join("index.html");
        return index.is_file().then_some(index);
    }
    None
}

/// The last segment has a dot (`app.js`), so it is no page.
fn has_extension(segments: &[String]) -> bool {
    segments.last().is_some_and(|s| s.contains('.'))
}

/// The file, the directory's `index.html`, or `{path}.html` (clean URL).
fn resolve(root: &Path, segments: &[String]) -> Option<PathBuf> {
    let path = segments.iter().fold(root.to_path_buf(), |p, s| p.join(s));
    if path.is_file() {
        return Some(path);
    }
    if path.is_dir() {
        let index = path.join("index.html");
        return index.is_file().then_some(index);
    }
    let last = segments.last()?;
    if last.contains('.') {
        return None;
    }
    let page = path.with_file_name(format!("{last}.html"));
    page.is_file().then_some(page)
}

/// Reads `path` if, symlinks resolved, it is a file inside `root` and not
/// the database.
fn read_confined(files: &Files, root: &Path, path: &Path) -> Option<Found> {
    let real = std::fs::canonicalize(path).ok()?;
    if !real.starts_with(root) || files.hidden.contains(&real) {
        return None;
    }
    let meta = std::fs::metadata(&real).ok()?;
    if !meta.is_file() {
        return None;
    }
    let modified = meta
        .modified()
        .ok()
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let bytes = std::fs::read(&real).ok()?;
    Some(Found {
        etag: format!("W/\"{:x}-{:x}\"", bytes.len(), modified),
        path: real,
        bytes,
    })
}

/// The content type by extension.
fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "txt" | "md" | "ts" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}
