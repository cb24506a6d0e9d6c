//! The base protocol: JSON-RPC messages framed by a `Content-Length` header, read from
//! stdin on a thread of their own and written to stdout by the server loop.
//!
//! lsp-server's stdio transport ends the connection at the first message it cannot read,
//! which leaves the editor without its server. This reader answers instead: a body that is
//! not JSON (or not UTF-8, or a header without a length) is a `ParseError` (`"id": null`,
//! as JSON-RPC says when the id cannot be known), JSON that is not a request, response or
//! notification is an `InvalidRequest`, and it goes on reading.

use lsp_server::{ErrorCode, Message, RequestId};
use std::io::{self, BufRead, Read, Write};

/// What the reader hands the server loop.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A message that could not be used, and the error to answer it with (`id`: the
    /// request's id when it could be read).
    Malformed {
        id: Option<RequestId>,
        code: ErrorCode,
        message: String,
    },
}

/// The largest body accepted: a whole buffer travels in one `didChange`.
const MAX_BODY: usize = 256 << 20;

/// Read the next message; `None` at the end of the input.
pub fn read(r: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut bad_header: Option<String> = None;
    let mut bytes = Vec::new();
    let mut first = true;
    loop {
        bytes.clear();
        if r.read_until(b'\n', &mut bytes)? == 0 {
            // End of input: between messages it is the end; inside a header, too.
            return Ok(None);
        }
        // A header that is not UTF-8 is a malformed header, not the end of the session.
        let line = String::from_utf8_lossy(&bytes);
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            if first {
                // Stray blank lines between messages.
                continue;
            }
            break;
        }
        first = false;
        match l.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("content-length") => {
                length =
                    Some(value.trim().parse::<usize>().map_err(|_| {
                        format!("`Content-Length: {}` is not a length", value.trim())
                    }));
            }
            Some(_) => {}
            None => {
                bad_header.get_or_insert_with(|| format!("malformed header line `{}`", clip(l)));
            }
        }
    }
    let length = match (length, bad_header) {
        (Some(Ok(n)), None) => n,
        (Some(Err(e)), _) | (None, Some(e)) | (Some(Ok(_)), Some(e)) => {
            return Ok(Some(parse_error(e)));
        }
        (None, None) => return Ok(Some(parse_error("no Content-Length header".into()))),
    };
    if length > MAX_BODY {
        io::copy(&mut r.take(length as u64), &mut io::sink())?;
        return Ok(Some(parse_error(format!(
            "a message of {length} bytes is larger than the limit of {MAX_BODY}"
        ))));
    }
    let mut body = vec![0; length];
    match r.read_exact(&mut body) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    Ok(Some(decode(&body)))
}

/// A message body: JSON, then one of the three kinds of message.
fn decode(body: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return parse_error(format!("the message is not JSON: {e}")),
    };
    let id = value
        .get("id")
        .and_then(|id| serde_json::from_value::<RequestId>(id.clone()).ok());
    let is_object = value.is_object();
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Incoming::Message(m),
        Err(_) => Incoming::Malformed {
            id,
            code: ErrorCode::InvalidRequest,
            message: if is_object {
                "the message is neither a request (`id` and `method`), a response (`id` and `result` or `error`) nor a notification (`method`)".into()
            } else {
                "a message must be a JSON object (batches are not part of LSP)".into()
            },
        },
    }
}

fn parse_error(message: String) -> Incoming {
    Incoming::Malformed {
        id: None,
        code: ErrorCode::ParseError,
        message,
    }
}

fn clip(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or(s)),
        None => s.to_string(),
    }
}

/// Where the server's messages go.
pub struct Writer {
    out: Box<dyn Write + Send>,
}

impl Writer {
    pub fn new(out: Box<dyn Write + Send>) -> Writer {
        Writer { out }
    }

    pub fn send(&mut self, msg: impl Into<Message>) -> io::Result<()> {
        msg.into().write(&mut self.out)
    }

    /// An error response to a message whose id could not be read (`"id": null`), which
    /// lsp-server's `Response` cannot express.
    pub fn send_error_without_id(&mut self, code: ErrorCode, message: &str) -> io::Result<()> {
        let body = serde_json::json!({
            "jsonrpc": "2.0",
            "id": null,
            "error": { "code": code as i32, "message": message },
        })
        .to_string();
        write!(self.out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    fn read_all(input: &str) -> Vec<Incoming> {
        let mut r = io::BufReader::new(input.as_bytes());
        let mut out = Vec::new();
        while let Some(m) = read(&mut r).unwrap() {
            out.push(m);
        }
        out
    }

    #[test]
    fn reads_requests_and_notifications() {
        let input = frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#)
            + &frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
        let got = read_all(&input);
        assert_eq!(got.len(), 2);
        assert!(
            matches!(&got[0], Incoming::Message(Message::Request(r)) if r.method == "initialize")
        );
        assert!(
            matches!(&got[1], Incoming::Message(Message::Notification(n)) if n.method == "initialized")
        );
    }

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let input = frame("{not json")
            + &frame(r#"{"jsonrpc":"2.0","id":7}"#)
            + &frame("[1,2]")
            + "Content-Length: x\r\n\r\n"
            + "Content-Type: foo\r\n\r\n"
            + &frame(r#"{"jsonrpc":"2.0","id":8,"method":"shutdown"}"#);
        let got = read_all(&input);
        let kinds: Vec<(Option<RequestId>, i32)> = got
            .iter()
            .filter_map(|m| match m {
                Incoming::Malformed { id, code, .. } => Some((id.clone(), *code as i32)),
                Incoming::Message(_) => None,
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                (None, ErrorCode::ParseError as i32),
                (Some(RequestId::from(7)), ErrorCode::InvalidRequest as i32),
                (None, ErrorCode::InvalidRequest as i32),
                (None, ErrorCode::ParseError as i32),
                (None, ErrorCode::ParseError as i32),
            ]
        );
        assert!(
            matches!(got.last(), Some(Incoming::Message(Message::Request(r))) if r.method == "shutdown")
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_in_a_header_are_a_parse_error() {
        let input = b"Content-\xff\xfeLength: 2\r\n\r\n".to_vec();
        let mut input = input;
        input.extend_from_slice(frame(r#"{"jsonrpc":"2.0","method":"exit"}"#).as_bytes());
        let mut r = io::BufReader::new(&input[..]);
        assert!(matches!(
            read(&mut r).unwrap(),
            Some(Incoming::Malformed {
                code: ErrorCode::ParseError,
                ..
            })
        ));
        assert!(matches!(
            read(&mut r).unwrap(),
            Some(Incoming::Message(Message::Notification(n))) if n.method == "exit"
        ));
    }

    #[test]
    fn a_body_cut_short_is_the_end() {
        assert!(read_all("Content-Length: 50\r\n\r\n{\"jsonrpc\"").is_empty());
    }

    #[test]
    fn error_without_id_is_json_rpc() {
        let buf = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        struct Shared(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl Write for Shared {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut w = Writer::new(Box::new(Shared(buf.clone())));
        w.send_error_without_id(ErrorCode::ParseError, "bad")
            .unwrap();
        let text = String::from_utf8(buf.lock().unwrap().clone()).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(head, format!("Content-Length: {}", body.len()));
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["id"], serde_json::Value::Null);
        assert_eq!(v["error"]["code"], -32700);
    }
}
