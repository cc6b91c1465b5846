//! 读入通知：纯文本（.txt）、Word（.docx）或存下来的网页（.html），一律变成逐行文字交给解析器。
//!
//! 按内容认格式（zip 开头的是 .docx，像 HTML 的是网页），扩展名只在内容看不出时作数；
//! 旧版 .doc、.wps、PDF 和“单一文件网页”（.mht）读不了，报中文错误并说明怎样另存。
//! .docx 与网页的诊断行号指转换后的文字行（`duban catalogue --format text` 可看）：
//! Word 每段一行，表格每行一行。

mod docx;
mod html;
mod numbering;
mod table;
mod xml;

use crate::diag::{Diagnostic, Diagnostics, Severity};
use std::path::Path;

/// 通知文件的格式。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Docx,
    Html,
}

impl Format {
    /// 中文名，用于提示。
    pub fn label(self) -> &'static str {
        match self {
            Format::Text => "纯文本",
            Format::Docx => "Word 文档（.docx）",
            Format::Html => "网页（.html）",
        }
    }
}

/// 转换时的一条说明（如任务表里未读入的列），行号指转换后的文字行。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub severity: Severity,
    pub line: usize,
    pub message: String,
    pub hint: String,
}

impl Note {
    pub(crate) fn warning(line: usize, message: String, hint: &str) -> Self {
        Note {
            severity: Severity::Warning,
            line,
            message,
            hint: hint.to_string(),
        }
    }
}

/// 读入的通知。
#[derive(Debug, Clone)]
pub struct Notice {
    pub format: Format,
    /// 逐行文字（换行为 `\n`）。
    pub text: String,
    pub notes: Vec<Note>,
}

impl Notice {
    /// 转换说明 → 诊断（`file` 为显示用的路径）。
    pub fn diagnostics(&self, file: &str) -> Diagnostics {
        let mut d = Diagnostics::new();
        for n in &self.notes {
            let x = match n.severity {
                Severity::Error => Diagnostic::error(file, n.line, 0, n.message.clone()),
                Severity::Warning => Diagnostic::warning(file, n.line, 0, n.message.clone()),
            };
            d.push(x.with_hint(n.hint.clone()));
        }
        d
    }
}

/// 读不了通知文件。
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("无法读取通知 {path}：{reason}")]
    Io { path: String, reason: String },
    #[error("通知 {path} 第 {line} 行不是 UTF-8 编码（{detail}）\n  提示：{hint}")]
    Encoding {
        path: String,
        line: usize,
        detail: String,
        hint: &'static str,
    },
    #[error("通知 {path} 读不了：{what}\n  提示：{hint}")]
    Unsupported {
        path: String,
        what: &'static str,
        hint: &'static str,
    },
    #[error("通知 {path} 不是完好的 Word 文档（.docx）：{reason}\n  提示：用 Word 或 WPS 打开后“另存为”.docx 再试；文件可能没有下载完整")]
    BadDocx { path: String, reason: String },
}

impl InputError {
    /// 作为诊断：文件、行（编码错误时）、说明与提示（`project` 把它连同此前的诊断一起报告）。
    pub fn diagnostic(&self) -> Diagnostic {
        let (path, line, message, hint) = match self {
            InputError::Io { path, reason } => (
                path,
                0,
                format!("无法读取通知原文：{reason}"),
                "检查 duban.toml 的 [paths] notice（或 --notice）指向的文件".to_string(),
            ),
            InputError::Encoding {
                path,
                line,
                detail,
                hint,
            } => (
                path,
                *line,
                format!("通知原文不是 UTF-8 编码（{detail}）"),
                hint.to_string(),
            ),
            InputError::Unsupported { path, what, hint } => {
                (path, 0, format!("通知读不了：{what}"), hint.to_string())
            }
            InputError::BadDocx { path, reason } => (
                path,
                0,
                format!("通知不是完好的 Word 文档（.docx）：{reason}"),
                "用 Word 或 WPS 打开后“另存为”.docx 再试；文件可能没有下载完整".to_string(),
            ),
        };
        Diagnostic::error(path, line, 0, message).with_hint(hint)
    }
}

/// 按内容（其次按扩展名）认出格式。
pub fn detect(path: &Path, bytes: &[u8]) -> Result<Format, InputError> {
    let shown = || path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let unsupported = |what, hint| InputError::Unsupported {
        path: shown(),
        what,
        hint,
    };
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Format::Docx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(unsupported(
            "这是旧版 Word 97-2003（.doc）或 WPS（.wps）文件",
            "用 Word 或 WPS 打开，“另存为”选“Word 文档（*.docx）”，把 duban.toml 的 paths.notice 改成新文件",
        ));
    }
    if bytes.starts_with(b"%PDF") {
        return Err(unsupported(
            "这是 PDF 文件",
            "请找发文单位网站上的网页版或 Word 版；也可以把 PDF 中的文字复制到记事本，存为 UTF-8 的 .txt",
        ));
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    if ext == "mht"
        || ext == "mhtml"
        || head.starts_with("mime-version:")
        || head.contains("content-type: multipart/related")
    {
        return Err(unsupported(
            "这是“单一文件网页”（.mht/.mhtml）",
            "在浏览器中打开该网页，“另存为”选“网页，仅 HTML”（.html）",
        ));
    }
    if [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<div",
        "<p>",
        "<p ",
        "<table",
    ]
    .iter()
    .any(|t| {
        head.trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with(t)
    }) || ["<html", "<body", "<p>", "<br"]
        .iter()
        .any(|t| head.contains(t))
        && ext != "txt"
        || matches!(ext.as_str(), "html" | "htm" | "xhtml" | "shtml")
    {
        return Ok(Format::Html);
    }
    if ext == "docx" {
        return Err(InputError::BadDocx {
            path: shown(),
            reason: "文件开头不是 zip 格式".into(),
        });
    }
    Ok(Format::Text)
}

/// 读入通知文件。
pub fn read_notice(path: &Path) -> Result<Notice, InputError> {
    let bytes = std::fs::read(path).map_err(|e| InputError::Io {
        path: path.display().to_string(),
        reason: io_reason(&e),
    })?;
    let format = detect(path, &bytes)?;
    let (text, notes) = match format {
        Format::Docx => docx::read(&bytes).map_err(|reason| InputError::BadDocx {
            path: path.display().to_string(),
            reason,
        })?,
        Format::Html => html::read(&decode(path, bytes, true)?),
        Format::Text => (decode(path, bytes, false)?, Vec::new()),
    };
    Ok(Notice {
        format,
        text,
        notes,
    })
}

/// 常见的读文件错误 → 中文。
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "文件不存在".into(),
        PermissionDenied => "没有读取权限".into(),
        IsADirectory => "这是文件夹，不是文件".into(),
        _ => format!("系统报告：{e}"),
    }
}

/// 字节 → 文字：UTF-8（去 BOM）或带 BOM 的 UTF-16。
fn decode(path: &Path, bytes: Vec<u8>, html: bool) -> Result<String, InputError> {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    let err = |line: usize, detail: String| InputError::Encoding {
        path: path.display().to_string(),
        line,
        detail,
        hint: if html {
            "在浏览器中打开该网页，全选复制正文，粘贴到记事本后“另存为”时编码选“UTF-8”；或用记事本打开这个 .html 文件另存为 UTF-8"
        } else {
            "用记事本或 WPS 打开该文件，“另存为”时编码选“UTF-8”，保存后重新运行"
        },
    };
    if let Some(unit) = utf16 {
        let units = bytes[2..]
            .chunks(2)
            .map(|c| unit([c[0], *c.get(1).unwrap_or(&0)]));
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| err(1, "UTF-16 文字中有无效的字符".into()));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(s)),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let b = e.as_bytes();
            let line = b[..at].iter().filter(|&&c| c == b'\n').count() + 1;
            // 末尾只差半个字：文件被截断了，不是编码问题。
            if e.utf8_error().error_len().is_none() {
                return Err(InputError::Io {
                    path: path.display().to_string(),
                    reason: format!(
                        "文件在第 {line} 行末尾被截断（最后一个字只剩半个），请重新下载或复制完整"
                    ),
                });
            }
            let declared = html.then(|| charset(b)).flatten();
            Err(err(
                line,
                match declared {
                    Some(cs) => format!("网页声明的编码是 {cs}"),
                    None => "多半是以 GBK/ANSI 编码保存的".into(),
                },
            ))
        }
    }
}

/// 网页 `<meta charset>` 声明的编码。
fn charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let i = head.find("charset=")? + "charset=".len();
    let v: String = head[i..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!v.is_empty()).then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_content_then_extension() {
        let p = Path::new;
        assert_eq!(detect(p("a.txt"), b"PK\x03\x04xx").unwrap(), Format::Docx);
        assert_eq!(
            detect(p("a"), b"<!DOCTYPE html><p>x").unwrap(),
            Format::Html
        );
        assert_eq!(detect(p("a.htm"), "甲".as_bytes()).unwrap(), Format::Html);
        assert_eq!(
            detect(p("a.txt"), "1.甲<br>".as_bytes()).unwrap(),
            Format::Text
        );
        assert_eq!(detect(p("a.txt"), "1.甲".as_bytes()).unwrap(), Format::Text);
        let e = detect(p("a.doc"), &[0xD0, 0xCF, 0x11, 0xE0, 0])
            .unwrap_err()
            .to_string();
        assert!(e.contains("另存为") && e.contains(".doc"), "{e}");
        assert!(detect(p("a.docx"), b"hello")
            .unwrap_err()
            .to_string()
            .contains("不是完好的 Word"));
        assert!(detect(p("a.mht"), b"MIME-Version: 1.0").is_err());
        assert!(detect(p("a.pdf"), b"%PDF-1.7")
            .unwrap_err()
            .to_string()
            .contains("PDF"));
    }

    #[test]
    fn gbk_web_page_and_truncated_text() {
        let gbk = b"<html><meta charset=\"gb2312\"><p>\xb8\xc4</p>".to_vec();
        let e = decode(Path::new("a.html"), gbk, true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("gb2312") && e.contains("UTF-8"), "{e}");
        let cut = "甲乙".as_bytes()[..4].to_vec();
        let e = decode(Path::new("a.txt"), cut, false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("截断"), "{e}");
    }
}
