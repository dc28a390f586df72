//! STOMP frames for the ActiveMQ check: a codec that reads a broker's frames under small limits,
//! and writes the few frames the check sends.
//!
//! Written here rather than taken from a crate. The check exchanges a handful of frames (CONNECT
//! answered by CONNECTED or ERROR; on a kept session BEGIN and ABORT answered by RECEIPT), and
//! none of the STOMP crates fits: `async-stomp` is copyleft (EUPL-1.2); the permissive ones of
//! its lineage (`tokio-stomp`, `tokio-stomp-2`, `tokio-stomp-rs`) parse the whole buffer again
//! on every read with no small bound (`async-stomp`'s is 100 MB: quadratic time and hundreds of
//! MiB against a peer that sends endless headers); `iridium-stomp` (MIT, young) also parses the
//! buffered frame again from its first byte on every read, and brings a whole client
//! (heart-beat tasks, reconnection); `stomp-parser` parses complete frames only, with no
//! streaming decoder. This one scans each byte once, remembering how far it got, and refuses a
//! frame as soon as it passes [`MAX_FRAME`] bytes, [`MAX_HEADERS`] headers or a line of
//! [`MAX_LINE`] bytes, before more of it is buffered.
//!
//! Frame syntax (STOMP 1.2, read leniently for 1.0 and 1.1 brokers): a command line, header
//! lines `name:value`, an empty line, a body, a NUL octet; lines end with LF or CR LF. A body is
//! `content-length` octets when that header is present (it may then contain NUL), else it runs to
//! the first NUL. End-of-lines between frames are heart-beats and are skipped.

use std::io;

use tokio_util::bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

/// The largest frame accepted, from the first octet of its command to its NUL. Brokers answer
/// CONNECT with a few hundred bytes; ActiveMQ's ERROR frames carry a stack trace of a few KiB.
pub(crate) const MAX_FRAME: usize = 64 * 1024;
/// The most header lines a frame may have (CONNECTED has about five).
pub(crate) const MAX_HEADERS: usize = 64;
/// The longest line (command or header), end of line excluded.
pub(crate) const MAX_LINE: usize = 8 * 1024;
/// The longest command (`CONNECTED`, the longest in the protocol, has 9 letters).
const MAX_COMMAND: usize = 16;

/// Why a frame could not be read or written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StompError {
    /// The socket failed, or closed in the middle of a frame.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// Bytes that are not a STOMP frame; the reason is for debugging, the message is the same.
    #[error("the server does not speak STOMP (invalid frame)")]
    Invalid(&'static str),
    /// A frame larger than [`MAX_FRAME`], or announcing a larger body.
    #[error("STOMP reply larger than {} KiB", MAX_FRAME / 1024)]
    TooLarge,
    /// A frame with more than [`MAX_HEADERS`] headers.
    #[error("STOMP reply with more than {MAX_HEADERS} headers")]
    TooManyHeaders,
    /// A line longer than [`MAX_LINE`].
    #[error("STOMP reply line longer than {} KiB", MAX_LINE / 1024)]
    LineTooLong,
}

/// One STOMP frame, read or to be written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Frame {
    /// `CONNECTED`, `ERROR`, `RECEIPT`...
    pub command: String,
    /// Headers in the order they came; a repeated header keeps every value (the first counts).
    pub headers: Vec<(String, String)>,
    /// The body, empty when there is none.
    pub body: Bytes,
}

impl Frame {
    /// A frame with `command` and `headers`, without a body.
    pub fn new(command: &str, headers: &[(&str, &str)]) -> Self {
        Self {
            command: command.to_string(),
            headers: headers
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            body: Bytes::new(),
        }
    }

    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Which part of a frame the decoder is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Command,
    Headers,
    /// The body starts at `start`; `length` is the `content-length`, when given.
    Body {
        start: usize,
        length: Option<usize>,
    },
}

/// Reads frames sent by a server and writes frames to it (see the module documentation).
///
/// The buffer handed to [`Decoder::decode`] starts at the first octet of the frame being read
/// (heart-beats before it and earlier frames are consumed), and everything before `scanned` has
/// been examined already: each call looks at the new bytes only.
#[derive(Debug)]
pub(crate) struct StompCodec {
    part: Part,
    /// How many bytes of the frame have been examined.
    scanned: usize,
    /// Where the line being read starts.
    line_start: usize,
    /// The frame read so far (command and headers).
    frame: Frame,
}

impl Default for StompCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl StompCodec {
    /// A codec at the start of a stream.
    pub fn new() -> Self {
        Self {
            part: Part::Command,
            scanned: 0,
            line_start: 0,
            frame: Frame::default(),
        }
    }

    /// Reads the command or header line that ends at the next LF, if it has arrived.
    fn next_line(&mut self, src: &BytesMut) -> Result<Option<usize>, StompError> {
        let new = &src[self.scanned..];
        let found = if self.part == Part::Command {
            // A command is a few capital letters: anything else is refused at once, so that a
            // server speaking another protocol is named without waiting for an LF.
            match new
                .iter()
                .position(|&b| !b.is_ascii_uppercase() && b != b'\r')
            {
                Some(i) if new[i] == b'\n' => Some(i),
                Some(_) => return Err(StompError::Invalid("command")),
                None if src.len() - self.line_start > MAX_COMMAND + 1 => {
                    return Err(StompError::Invalid("command too long"))
                }
                None => None,
            }
        } else {
            new.iter().position(|&b| b == b'\n')
        };
        match found {
            Some(i) => {
                let end = self.scanned + i;
                self.scanned = end + 1;
                if end - self.line_start > MAX_LINE + 1 {
                    return Err(StompError::LineTooLong);
                }
                if self.scanned > MAX_FRAME {
                    return Err(StompError::TooLarge);
                }
                Ok(Some(end))
            }
            None => {
                self.scanned = src.len();
                if src.len() - self.line_start > MAX_LINE + 1 {
                    return Err(StompError::LineTooLong);
                }
                if src.len() > MAX_FRAME {
                    return Err(StompError::TooLarge);
                }
                Ok(None)
            }
        }
    }

    /// Takes in the line `src[line_start..end]` (end is its LF).
    fn take_line(&mut self, src: &BytesMut, end: usize) -> Result<(), StompError> {
        let mut line = &src[self.line_start..end];
        self.line_start = end + 1;
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        match self.part {
            Part::Command => {
                if line.is_empty() || line.len() > MAX_COMMAND || line.contains(&b'\r') {
                    return Err(StompError::Invalid("command"));
                }
                // Only capital letters were let through.
                self.frame.command = String::from_utf8_lossy(line).into_owned();
                self.part = Part::Headers;
            }
            Part::Headers if line.is_empty() => {
                let length = match self.frame.header("content-length") {
                    Some(text) => Some(parse_length(text)?),
                    None => None,
                };
                if let Some(length) = length {
                    // The announced body must fit before a byte of it is awaited.
                    if length.saturating_add(end + 2) > MAX_FRAME {
                        return Err(StompError::TooLarge);
                    }
                }
                self.part = Part::Body {
                    start: end + 1,
                    length,
                };
            }
            Part::Headers => {
                if self.frame.headers.len() == MAX_HEADERS {
                    return Err(StompError::TooManyHeaders);
                }
                let colon = line
                    .iter()
                    .position(|&b| b == b':')
                    .ok_or(StompError::Invalid("header without a colon"))?;
                // CONNECTED is the one server frame whose headers are not escaped (STOMP 1.2).
                let escaped = self.frame.command != "CONNECTED";
                let name = header_text(&line[..colon], escaped);
                let value = header_text(&line[colon + 1..], escaped);
                self.frame.headers.push((name, value));
            }
            Part::Body { .. } => {}
        }
        Ok(())
    }

    /// The end (index of the NUL) of the body, once it has arrived.
    fn body_end(
        &mut self,
        src: &BytesMut,
        start: usize,
        length: Option<usize>,
    ) -> Result<Option<usize>, StompError> {
        match length {
            Some(length) => {
                let end = start + length;
                if src.len() <= end {
                    self.scanned = src.len();
                    return Ok(None);
                }
                if src[end] != 0 {
                    return Err(StompError::Invalid("no NUL after content-length octets"));
                }
                Ok(Some(end))
            }
            None => match src[self.scanned..].iter().position(|&b| b == 0) {
                Some(i) => Ok(Some(self.scanned + i)),
                None => {
                    self.scanned = src.len();
                    if src.len() > MAX_FRAME {
                        return Err(StompError::TooLarge);
                    }
                    Ok(None)
                }
            },
        }
    }
}

/// A `content-length` value: decimal digits. Too many digits to count is too large a body.
fn parse_length(text: &str) -> Result<usize, StompError> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(StompError::Invalid("content-length"));
    }
    text.parse().map_err(|_| StompError::TooLarge)
}

/// A header name or value as text, with STOMP 1.2 escapes (`\r`, `\n`, `\c`, `\\`) undone. An
/// undefined escape is kept as it is: a 1.0 broker escapes nothing, and a value like `C:\temp`
/// then means what it says.
fn header_text(raw: &[u8], escaped: bool) -> String {
    if !escaped || !raw.contains(&b'\\') {
        return String::from_utf8_lossy(raw).into_owned();
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut bytes = raw.iter().copied();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'r') => out.push(b'\r'),
            Some(b'n') => out.push(b'\n'),
            Some(b'c') => out.push(b':'),
            Some(b'\\') => out.push(b'\\'),
            Some(other) => out.extend_from_slice(&[b'\\', other]),
            None => out.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Decoder for StompCodec {
    type Item = Frame;
    type Error = StompError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, StompError> {
        if self.part == Part::Command && self.scanned == 0 {
            // Heart-beats (bare end-of-lines) before a frame.
            let beats = src
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            src.advance(beats);
        }
        loop {
            match self.part {
                Part::Command | Part::Headers => match self.next_line(src)? {
                    Some(end) => self.take_line(src, end)?,
                    None => return Ok(None),
                },
                Part::Body { start, length } => {
                    let Some(end) = self.body_end(src, start, length)? else {
                        return Ok(None);
                    };
                    let bytes = src.split_to(end + 1).freeze();
                    let mut frame = std::mem::take(&mut self.frame);
                    frame.body = bytes.slice(start..end);
                    *self = Self::new();
                    return Ok(Some(frame));
                }
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, StompError> {
        match self.decode(src)? {
            Some(frame) => Ok(Some(frame)),
            None if src.is_empty() => Ok(None),
            // The server closed the connection in the middle of a frame.
            None => Err(io::Error::from(io::ErrorKind::UnexpectedEof).into()),
        }
    }
}

impl Encoder<Frame> for StompCodec {
    type Error = StompError;

    /// Writes `frame`. Header values are escaped (STOMP 1.2), except in CONNECT, whose values go
    /// as they are (brokers read them before any version is agreed): they must hold no CR, LF or
    /// NUL, which the check's configuration refuses.
    fn encode(&mut self, frame: Frame, dst: &mut BytesMut) -> Result<(), StompError> {
        let escape = frame.command != "CONNECT";
        let invalid = |what: &str| {
            StompError::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("a STOMP {what} cannot hold CR, LF, NUL or this colon"),
            ))
        };
        if frame.command.is_empty() || !frame.command.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(invalid("command"));
        }
        dst.reserve(frame.command.len() + frame.body.len() + 64);
        dst.put_slice(frame.command.as_bytes());
        dst.put_u8(b'\n');
        for (name, value) in &frame.headers {
            for (text, is_name) in [(name, true), (value, false)] {
                for b in text.bytes() {
                    match b {
                        0 => return Err(invalid("header")),
                        b'\r' if escape => dst.put_slice(b"\\r"),
                        b'\n' if escape => dst.put_slice(b"\\n"),
                        b':' if escape => dst.put_slice(b"\\c"),
                        b'\\' if escape => dst.put_slice(b"\\\\"),
                        b'\r' | b'\n' => return Err(invalid("header")),
                        b':' if is_name => return Err(invalid("header name")),
                        b => dst.put_u8(b),
                    }
                }
                if is_name {
                    dst.put_u8(b':');
                }
            }
            dst.put_u8(b'\n');
        }
        if !frame.body.is_empty() {
            dst.put_slice(format!("content-length:{}\n", frame.body.len()).as_bytes());
        }
        dst.put_u8(b'\n');
        dst.put_slice(&frame.body);
        dst.put_u8(0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `input` fed in pieces of `step` bytes; returns the frames and the first error.
    fn decode_in_steps(input: &[u8], step: usize) -> (Vec<Frame>, Option<StompError>) {
        let mut codec = StompCodec::new();
        let mut buf = BytesMut::new();
        let mut frames = Vec::new();
        for piece in input.chunks(step.max(1)) {
            buf.extend_from_slice(piece);
            loop {
                match codec.decode(&mut buf) {
                    Ok(Some(frame)) => frames.push(frame),
                    Ok(None) => break,
                    Err(e) => return (frames, Some(e)),
                }
            }
        }
        (frames, None)
    }

    /// The error decoding `input` in pieces of `step` bytes ends with, before any frame, and its
    /// message.
    fn error_of(input: &[u8], step: usize) -> (StompError, String) {
        let (frames, error) = decode_in_steps(input, step);
        assert!(frames.is_empty(), "{frames:?}");
        let error = error.expect("an error");
        let message = error.to_string();
        (error, message)
    }

    fn decode_all(input: &[u8]) -> Vec<Frame> {
        let (frames, error) = decode_in_steps(input, input.len());
        assert!(error.is_none(), "{error:?}");
        frames
    }

    const CONNECTED: &[u8] =
        b"CONNECTED\r\nversion:1.2\r\nserver:ActiveMQ/6.1.4\r\nheart-beat:0,0\r\n\r\n\0";

    #[test]
    fn a_frame_split_at_every_byte_reads_the_same() {
        let stream = [
            &b"\n\r\n"[..],
            CONNECTED,
            b"\n\n",
            b"RECEIPT\nreceipt-id:hcx-1-abort\n\n\0\n",
            b"MESSAGE\ncontent-length:5\nsubscription:a\\cb\n\na\0b\0c\0",
            b"ERROR\nmessage:Bad CONNECT\n\nAccess refused for user 'hcx'\n\0",
        ]
        .concat();
        let whole = decode_all(&stream);
        assert_eq!(whole.len(), 4);
        assert_eq!(whole[0].command, "CONNECTED");
        assert_eq!(whole[0].header("server"), Some("ActiveMQ/6.1.4"));
        assert_eq!(whole[0].header("heart-beat"), Some("0,0"));
        assert!(whole[0].body.is_empty());
        assert_eq!(whole[1].header("receipt-id"), Some("hcx-1-abort"));
        assert_eq!(&whole[2].body[..], b"a\0b\0c");
        assert_eq!(whole[2].header("subscription"), Some("a:b"));
        assert_eq!(whole[3].command, "ERROR");
        assert_eq!(whole[3].header("message"), Some("Bad CONNECT"));
        assert_eq!(&whole[3].body[..], b"Access refused for user 'hcx'\n");
        for step in 1..stream.len() {
            let (frames, error) = decode_in_steps(&stream, step);
            assert!(error.is_none(), "step {step}: {error:?}");
            assert_eq!(frames, whole, "step {step}");
        }
        // Split at every single position into two reads.
        for cut in 0..stream.len() {
            let mut codec = StompCodec::new();
            let mut buf = BytesMut::from(&stream[..cut]);
            let mut frames = Vec::new();
            while let Some(frame) = codec.decode(&mut buf).expect("valid") {
                frames.push(frame);
            }
            buf.extend_from_slice(&stream[cut..]);
            while let Some(frame) = codec.decode(&mut buf).expect("valid") {
                frames.push(frame);
            }
            assert_eq!(frames, whole, "cut at {cut}");
        }
    }

    #[test]
    fn heartbeats_alone_are_consumed_and_yield_nothing() {
        let mut codec = StompCodec::new();
        let mut buf = BytesMut::from(&b"\n\r\n\n"[..]);
        assert!(codec.decode(&mut buf).expect("heart-beats").is_none());
        assert!(buf.is_empty());
        assert!(codec.decode_eof(&mut buf).expect("clean end").is_none());
    }

    #[test]
    fn scanning_resumes_where_it_stopped() {
        let mut codec = StompCodec::new();
        let mut buf = BytesMut::from(&b"CONNECTED\n"[..]);
        for i in 0..1000 {
            buf.extend_from_slice(format!("h{i}").as_bytes());
            assert!(codec.decode(&mut buf).expect("partial").is_none());
            assert_eq!(
                codec.scanned,
                buf.len(),
                "every byte so far was examined once"
            );
            if i % 10 == 9 {
                buf.extend_from_slice(b":v\n");
                if codec.decode(&mut buf).is_err() {
                    // The header limit: reached after MAX_HEADERS complete headers.
                    assert_eq!(i / 10, MAX_HEADERS);
                    return;
                }
            }
        }
        panic!("no header limit");
    }

    #[test]
    fn endless_headers_stop_at_the_header_limit() {
        let mut stream = b"CONNECTED\n".to_vec();
        for i in 0..10_000 {
            stream.extend_from_slice(format!("x-{i}:v\n").as_bytes());
        }
        let (error, message) = error_of(&stream, 4096);
        assert!(matches!(error, StompError::TooManyHeaders), "{error:?}");
        assert_eq!(message, "STOMP reply with more than 64 headers");
    }

    #[test]
    fn an_endless_line_stops_at_the_line_limit() {
        let mut stream = b"CONNECTED\nx:".to_vec();
        stream.resize(MAX_LINE + 100, b'a');
        let (error, message) = error_of(&stream, 1000);
        assert!(matches!(error, StompError::LineTooLong), "{error:?}");
        assert_eq!(message, "STOMP reply line longer than 8 KiB");
        // A line of exactly the limit is accepted.
        let mut stream = b"CONNECTED\nx:".to_vec();
        stream.resize(10 + MAX_LINE, b'a');
        stream.extend_from_slice(b"\r\n\n\0");
        let frames = decode_all(&stream);
        assert_eq!(frames[0].header("x").map(str::len), Some(MAX_LINE - 2));
    }

    #[test]
    fn an_endless_body_stops_at_the_frame_limit() {
        let mut stream = b"MESSAGE\n\n".to_vec();
        stream.resize(MAX_FRAME * 4, b'a');
        let (error, message) = error_of(&stream, 8192);
        assert!(matches!(error, StompError::TooLarge), "{error:?}");
        assert_eq!(message, "STOMP reply larger than 64 KiB");
        // Many lines of allowed length add up to the frame limit too.
        let mut stream = b"CONNECTED\n".to_vec();
        for i in 0..MAX_HEADERS {
            stream.extend_from_slice(format!("h{i}:").as_bytes());
            stream.extend_from_slice(&[b'v'; 2000]);
            stream.push(b'\n');
        }
        let (error, _) = error_of(&stream, 1000);
        assert!(matches!(error, StompError::TooLarge), "{error:?}");
    }

    #[test]
    fn a_huge_content_length_is_refused_before_its_body_arrives() {
        for length in ["65536", "4294967296000", "99999999999999999999999999"] {
            let stream = format!("CONNECTED\ncontent-length:{length}\n\n");
            let (error, _) = error_of(stream.as_bytes(), 1);
            assert!(matches!(error, StompError::TooLarge), "{length}: {error:?}");
        }
        // The largest body that fits is read.
        let head = "MESSAGE\ncontent-length:";
        // Command and header name, five digits, the header's LF, the empty line, the NUL.
        let length = MAX_FRAME - head.len() - 5 - 2 - 1;
        let mut stream = format!("{head}{length}\n\n").into_bytes();
        stream.resize(stream.len() + length, 0);
        stream.push(0);
        assert_eq!(stream.len(), MAX_FRAME);
        assert_eq!(decode_all(&stream)[0].body.len(), length);
    }

    #[test]
    fn other_protocols_and_malformed_frames_are_invalid() {
        for garbage in [
            &b"HTTP/1.1 400 Bad Request\r\n"[..],
            b"\x00\x00\x01\x0a\x01ActiveMQ",
            b"-ERR unknown command\r\n",
            b"connected\n",
            b"\x16\x03\x01\x02\x00",
            b"CONNECTEDCONNECTEDCONNECTED",
            // STOMP-like, but malformed.
            b"MESSAGE\ncontent-length:2\n\nabc\0",
            b"MESSAGE\ncontent-length:-2\n\n\0",
            b"CONNECTED\nno colon here\n\n\0",
        ] {
            let (error, message) = error_of(garbage, 1);
            assert!(
                matches!(error, StompError::Invalid(_)),
                "{garbage:?}: {error:?}"
            );
            assert_eq!(message, "the server does not speak STOMP (invalid frame)");
        }
    }

    #[test]
    fn a_close_in_the_middle_of_a_frame_is_an_unexpected_end() {
        let mut codec = StompCodec::new();
        let mut buf = BytesMut::from(&b"CONNECTED\nversion:1.2\n"[..]);
        assert!(codec.decode(&mut buf).expect("partial").is_none());
        match codec.decode_eof(&mut buf) {
            Err(StompError::Io(e)) => assert_eq!(e.kind(), io::ErrorKind::UnexpectedEof),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn error_frames_keep_their_message_unescaped() {
        let frames = decode_all(
            b"ERROR\nmessage:User name [hcx] or password is invalid.\\nline two\\cx\\q\n\n\0",
        );
        assert_eq!(frames[0].command, "ERROR");
        assert_eq!(
            frames[0].header("message"),
            Some("User name [hcx] or password is invalid.\nline two:x\\q")
        );
        // CONNECTED headers are not escaped: a backslash stays.
        let frames = decode_all(b"CONNECTED\nsession:a\\nb\nsession:second\n\n\0");
        assert_eq!(frames[0].header("session"), Some("a\\nb"));
    }

    #[test]
    fn frames_are_written_as_the_protocol_says() {
        let mut codec = StompCodec::new();
        let mut out = BytesMut::new();
        let connect = Frame::new(
            "CONNECT",
            &[
                ("accept-version", "1.2"),
                ("host", "/"),
                ("login", "hcx"),
                ("passcode", "p@ss:w/rd\\"),
            ],
        );
        codec.encode(connect, &mut out).expect("valid");
        assert_eq!(
            &out[..],
            b"CONNECT\naccept-version:1.2\nhost:/\nlogin:hcx\npasscode:p@ss:w/rd\\\n\n\0"
        );
        out.clear();
        let abort = Frame::new("ABORT", &[("transaction", "t:1"), ("receipt", "r\\1")]);
        codec.encode(abort, &mut out).expect("valid");
        assert_eq!(&out[..], b"ABORT\ntransaction:t\\c1\nreceipt:r\\\\1\n\n\0");
        // What is written reads back the same.
        let mut back = StompCodec::new();
        let frame = back.decode(&mut out).expect("valid").expect("a frame");
        assert_eq!(frame.header("transaction"), Some("t:1"));
        assert_eq!(frame.header("receipt"), Some("r\\1"));
        for bad in [("login", "a\nb"), ("passcode", "a\rb"), ("host", "a\0b")] {
            let frame = Frame::new("CONNECT", &[bad]);
            assert!(
                codec.encode(frame, &mut BytesMut::new()).is_err(),
                "{bad:?}"
            );
        }
    }
}
