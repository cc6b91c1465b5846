//! 读用户的文本文件（通知、登记册、报送、模板、数据）：收 UTF-8（去掉开头的 BOM），
//! 以及带 BOM 的 UTF-16（记事本“另存为”里的“Unicode”“Unicode big endian”）。
//!
//! Windows 记事本常存成带 BOM 的 UTF-8 或 GBK（“ANSI”）。BOM 若留在文本里，Markdown
//! 模板的第一行标题就认不出来；GBK 文件不能当 UTF-8 读，要给出能照着改的中文说明，
//! 而不是 “stream did not contain valid UTF-8”。

use std::path::Path;

/// 读取文本文件的错误。
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("无法读取 {path}：{source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} 第 {line} 行不是 UTF-8 编码（多半是以 GBK/ANSI 编码保存的）\n  提示：用记事本或 WPS 打开该文件，“另存为”时编码选“UTF-8”，保存后重新运行")]
    Encoding { path: String, line: usize },
}

/// 读取文本：UTF-8（去 BOM）或带 BOM 的 UTF-16。
pub fn read(path: &Path) -> Result<String, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    decode(bytes).map_err(|line| ReadError::Encoding {
        path: path.display().to_string(),
        line,
    })
}

/// 字节 → 文本（去 BOM）；无法解码时返回第一处错误所在的行号。
fn decode(bytes: Vec<u8>) -> Result<String, usize> {
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
        let mut line = 1;
        for c in char::decode_utf16(units) {
            let c = c.map_err(|_| line)?;
            line += usize::from(c == '\n');
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
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            Err(bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1)
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
        assert_eq!(decode(vec![0xFF, 0xFE, b'\n', 0, 0x00, 0xD8]), Err(2));
    }

    #[test]
    fn gbk_file_names_file_line_and_fix() {
        let dir = std::env::temp_dir().join(format!("duban-textfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("notice.txt");
        // 第一行 ASCII，第二行是 GBK 编码的“关于通知”。
        std::fs::write(&p, b"title\n\xb9\xd8\xd3\xda\xcd\xa8\xd6\xaa\n").unwrap();
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("notice.txt 第 2 行不是 UTF-8 编码"), "{e}");
        assert!(e.contains("另存为") && e.contains("UTF-8"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
