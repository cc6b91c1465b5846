//! 读用户的文本文件（通知、登记册、报送、模板、数据）：收 UTF-8（去掉开头的 BOM），
//! 以及带 BOM 的 UTF-16（记事本“另存为”里的“Unicode”“Unicode big endian”）。
//!
//! Windows 记事本常存成带 BOM 的 UTF-8 或 GBK（“ANSI”）。BOM 若留在文本里，Markdown
//! 模板的第一行标题就认不出来；GBK 文件不能当 UTF-8 读，要给出能照着改的中文说明，
//! 而不是 “stream did not contain valid UTF-8”。

use crate::diag::Diagnostic;
use std::path::Path;

/// 读取文本文件的错误。显示为“路径[:行:列]：说明”加提示行，与诊断同一写法。
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}", self.described("文件"))]
    Io { path: String, err: std::io::Error },
    #[error("{}", self.described("文件"))]
    Encoding {
        path: String,
        line: usize,
        column: usize,
        /// 是哪种解码问题（决定说明与提示）。
        kind: BadText,
    },
}

/// 不能当 UTF-8 读的原因（按字节猜出的最可能情形）。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadText {
    /// 前面没有任何非 ASCII 字：整份多半是 GBK/ANSI 编码。
    Gbk,
    /// 文件末尾断在半个字上：复制或保存时被截断。
    Truncated,
    /// 前面是正常的 UTF-8 中文，中间混入了无法识别的字节。
    Garbled,
    /// 带 BOM 的 UTF-16 中有孤立的代理项。
    BadUtf16,
}

impl ReadError {
    /// 作为诊断报告：`what` 是文件的用途，如“单位登记册”“通知原文”“报送文件”。
    pub fn diagnostic(&self, what: &str) -> Diagnostic {
        let (path, line, column) = match self {
            ReadError::Io { path, .. } => (path, 0, 0),
            ReadError::Encoding {
                path, line, column, ..
            } => (path, *line, *column),
        };
        let (message, hint) = self.parts(what);
        Diagnostic::error(path.clone(), line, column, message).with_hint(hint)
    }

    /// 说明与提示。
    fn parts(&self, what: &str) -> (String, String) {
        const SAVE_AS: &str = "用记事本或 WPS 打开该文件，“另存为”时编码选“UTF-8”，保存后重新运行";
        match self {
            ReadError::Io { err, .. } if err.kind() == std::io::ErrorKind::NotFound => (
                format!("找不到{what}"),
                crate::diag::io_hint(err).to_string(),
            ),
            ReadError::Io { err, .. } => (
                format!("无法读取{what}：{}", crate::diag::io_message(err)),
                crate::diag::io_hint(err).to_string(),
            ),
            ReadError::Encoding { kind, .. } => match kind {
                BadText::Gbk => (
                    format!("{what}不是 UTF-8 编码（多半是以 GBK/ANSI 编码保存的）"),
                    SAVE_AS.into(),
                ),
                BadText::Truncated => (
                    format!("{what}在末尾断在半个字上，文件不完整（复制或保存时被截断）"),
                    "从原件重新复制一份完整的文件；或在编辑器中打开，核对末尾内容后另存为 UTF-8"
                        .into(),
                ),
                BadText::Garbled => (
                    format!("{what}此处有无法识别的字节（文件局部损坏，或混入了其他编码的文字）"),
                    "在编辑器中打开该文件，找到此处的乱码重新录入，再另存为 UTF-8".into(),
                ),
                BadText::BadUtf16 => (
                    format!("{what}是 UTF-16（“Unicode”）编码，但此处的字不完整"),
                    SAVE_AS.into(),
                ),
            },
        }
    }

    /// 不带级别前缀的一段说明：“路径:行:列：说明\n  提示：…”。
    fn described(&self, what: &str) -> String {
        self.diagnostic(what).body()
    }
}

/// 读取文本：UTF-8（去 BOM）或带 BOM 的 UTF-16。
pub fn read(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(|err| ReadError::Io {
        path: path.display().to_string(),
        err,
    })?;
    decode(bytes).map_err(|(line, column, kind)| ReadError::Encoding {
        path: path.display().to_string(),
        line,
        column,
        kind,
    })
}

/// 字节 → 文本（去 BOM）；无法解码时返回第一处错误所在的行、列（列按字符计）与原因。
fn decode(bytes: Vec<u8>) -> Result<String, (usize, usize, BadText)> {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(unit) = utf16 {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| unit([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        let mut out = String::with_capacity(units.len());
        let (mut line, mut column) = (1, 1);
        for c in char::decode_utf16(units) {
            let c = c.map_err(|_| (line, column, BadText::BadUtf16))?;
            if c == '\n' {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
            out.push(c);
        }
        return Ok(out);
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(match s.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => s,
        }),
        Err(e) => {
            let err = e.utf8_error();
            let good = std::str::from_utf8(&e.as_bytes()[..err.valid_up_to()]).unwrap_or("");
            let (line, column) = crate::diag::line_col(good, good.len());
            let kind = if err.error_len().is_none() {
                BadText::Truncated
            } else if good.is_ascii() {
                BadText::Gbk
            } else {
                BadText::Garbled
            };
            Err((line, column, kind))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_crlf_kept() {
        assert_eq!(
            decode(b"\xef\xbb\xbf# \xe6\xa0\x87\xe9\xa2\x98\r\n".to_vec()).unwrap(),
            "# 标题\r\n"
        );
        assert_eq!(decode(b"abc".to_vec()).unwrap(), "abc");
    }

    /// 记事本“Unicode”（UTF-16 LE）与“Unicode big endian”保存的文件照常读入。
    #[test]
    fn utf16_with_bom_is_decoded() {
        let text = "1.任务（牵头单位：区发改局）\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(le).unwrap(), text);
        assert_eq!(decode(be).unwrap(), text);
        // 孤立的代理项：报错并给行号。
        assert_eq!(
            decode(vec![0xFF, 0xFE, b'\n', 0, 0x00, 0xD8]),
            Err((2, 1, BadText::BadUtf16))
        );
    }

    #[test]
    fn gbk_file_names_file_line_and_fix() {
        let dir = std::env::temp_dir().join(format!("duban-textfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("notice.txt");
        // 第一行 ASCII，第二行是 GBK 编码的“关于通知”。
        std::fs::write(&p, b"title\n\xb9\xd8\xd3\xda\xcd\xa8\xd6\xaa\n").unwrap();
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("notice.txt:2:1：文件不是 UTF-8 编码"), "{e}");
        assert!(e.contains("GBK") && e.contains("另存为"), "{e}");
        let missing = read(&dir.join("无此文件.txt")).unwrap_err();
        let d = missing.diagnostic("通知原文");
        assert_eq!(d.message, "找不到通知原文");
        assert!(!d.to_string().contains("os error"), "{d}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// 末尾断在半个字上（UTF-8 中文被截断）说成“不完整”，不怪 GBK；前面是正常中文、中间夹杂乱码
    /// 说成“无法识别的字节”。都给行、列。
    #[test]
    fn truncated_and_garbled_are_not_blamed_on_gbk() {
        let mut t = "第一行\n任务".as_bytes().to_vec();
        t.extend_from_slice(&"局".as_bytes()[..2]);
        assert_eq!(decode(t), Err((2, 3, BadText::Truncated)));
        let mut g = "一\n二三".as_bytes().to_vec();
        g.push(0xFF);
        g.extend_from_slice("四".as_bytes());
        assert_eq!(decode(g), Err((2, 3, BadText::Garbled)));
        assert_eq!(decode(b"ab\xb9\xd8".to_vec()), Err((1, 3, BadText::Gbk)));
    }
}
