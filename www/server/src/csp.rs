//! The strict Content-Security-Policy pages: every HTML file under
//! `strict/` in the site root is a template, served with a policy that
//! allows only scripts and styles carrying this response's nonce (and what
//! they load), WebAssembly, same-origin connections, and Trusted Types for
//! scripts. Each response gets a fresh nonce from the operating system's
//! CSPRNG, written over every `{{nonce}}` in the file, and is never cached.
//! `?wasm=off` serves the same page without `'wasm-unsafe-eval'`, to show
//! what Pathlight does where WebAssembly is refused.

use crate::error::ApiError;
use axum::body::Body;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};

/// The directory of the site root whose pages are served this way.
pub const DIR: &str = "strict";

/// What the template says where the nonce goes.
const PLACEHOLDER: &str = "{{nonce}}";

/// Random bytes in a nonce (128 bits, as CSP recommends at least).
const NONCE_BYTES: usize = 16;

/// Whether the policy lets the page compile WebAssembly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wasm {
    Allowed,
    Refused,
}

impl Wasm {
    /// From the query: `wasm=off` refuses WebAssembly; no `wasm` parameter
    /// allows it; any other value is a mistake worth saying so.
    pub fn from_query(query: Option<&str>) -> Result<Wasm, ApiError> {
        let mut wasm = Wasm::Allowed;
        for pair in query.unwrap_or_default().split('&') {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if name != "wasm" {
                continue;
            }
            wasm =
                match value {
                    "off" => Wasm::Refused,
                    "on" => Wasm::Allowed,
                    _ => return Err(ApiError::bad_request(
                        "the query parameter wasm must be `off` (no 'wasm-unsafe-eval') or `on`",
                    )),
                };
        }
        Ok(wasm)
    }
}

/// The `Content-Security-Policy` header for `nonce`.
pub fn policy(nonce: &str, wasm: Wasm) -> String {
    let wasm = match wasm {
        Wasm::Allowed => " 'wasm-unsafe-eval'",
        Wasm::Refused => "",
    };
    format!(
        "default-src 'none'; script-src 'nonce-{nonce}' 'strict-dynamic'{wasm}; \
         style-src 'nonce-{nonce}'; connect-src 'self'; require-trusted-types-for 'script'"
    )
}

/// A fresh nonce: 16 bytes from the OS's CSPRNG as unpadded base64url
/// (22 characters, all valid in a CSP nonce and in an HTML attribute).
pub fn nonce() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; NONCE_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(base64url(&bytes))
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

/// The page `html` (a template under `strict/`) with a fresh nonce and its
/// policy. Never cached: a nonce must not be seen twice.
pub fn respond(html: Vec<u8>, method: &Method, query: Option<&str>) -> Response {
    let wasm = match Wasm::from_query(query) {
        Ok(wasm) => wasm,
        Err(e) => return e.into_response(),
    };
    let Ok(template) = String::from_utf8(html) else {
        return ApiError::internal("a strict page is not UTF-8").into_response();
    };
    let nonce = match nonce() {
        Ok(nonce) => nonce,
        Err(e) => {
            return ApiError::internal(format_args!("no random nonce for a strict page: {e}"))
                .into_response()
        }
    };
    let body = template.replace(PLACEHOLDER, &nonce);
    let length = body.len();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(body)
    };
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    match HeaderValue::from_str(&policy(&nonce, wasm)) {
        Ok(csp) => {
            h.insert(header::CONTENT_SECURITY_POLICY, csp);
            response
        }
        Err(_) => ApiError::internal("could not write the policy").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_the_rfc_4648_vectors_without_padding() {
        for (input, output) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(input.as_bytes()), output, "{input:?}");
        }
        assert_eq!(base64url(&[0xfb, 0xff, 0xbf]), "-_-_");
    }

    #[test]
    fn the_query_switch() {
        assert_eq!(Wasm::from_query(None), Ok(Wasm::Allowed));
        assert_eq!(Wasm::from_query(Some("q=lamp")), Ok(Wasm::Allowed));
        assert_eq!(Wasm::from_query(Some("wasm=off")), Ok(Wasm::Refused));
        assert_eq!(Wasm::from_query(Some("q=x&wasm=on")), Ok(Wasm::Allowed));
        assert!(Wasm::from_query(Some("wasm=no")).is_err());
        assert!(Wasm::from_query(Some("wasm")).is_err());
    }
}
