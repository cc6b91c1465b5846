//! Word 副本（.docx）：任务清单、催报通知与 PDF 同内容的可编辑版本，供各单位补上文号、联系人、
//! 再加一句话后用 Word/WPS 印发。
//!
//! 直接写 OOXML（WordprocessingML），用 zip 打包（只用 deflate），不引入专门的 docx 库：需要的只是
//! 段落、表格、分节、页脚页码和一份样式表，几百行就写得清楚，输出完全由我们决定，逐字节可重现
//! （固定的文件顺序与时间戳）。
//!
//! 版式照 GB/T 9704：A4，天头 37 mm、订口 28 mm、切口 26 mm，版心 156 mm × 225 mm，每页 22 行
//! （行距固定 28.95 磅）；页码“— 1 —”4 号宋体，单页居右、双页居左各空一字。样式按公文要素命名：
//! 标题（内置 Title，中文界面显示“标题”）、正文（内置 Normal，中文界面显示“正文”，首行缩进两字）、
//! 一级标题（黑体）、二级标题（楷体）、三级标题、四级标题、正文顶格（主送机关）、发文机关署名、
//! 成文日期、表格文字、页码。标点与 PDF 一样换成印刷用全角标点（`typeset::punct`）。

mod body;
mod parts;

use crate::typeset::{punct, Document, FontsConfig};
use std::io::Write;

/// Word 文档里各公文字体角色用的字体名（Word/WPS 按名称找本机字体）。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxFonts {
    pub title: String,
    pub body: String,
    pub hei: String,
    pub kai: String,
}

impl Default for DocxFonts {
    fn default() -> Self {
        DocxFonts {
            title: "方正小标宋简体".into(),
            body: "仿宋_GB2312".into(),
            hei: "黑体".into(),
            kai: "楷体_GB2312".into(),
        }
    }
}

impl DocxFonts {
    /// `duban.toml` [fonts] 中各角色写的第一个字族名；没写字族名的用公文常用字体名。
    pub fn from_config(cfg: &FontsConfig) -> Self {
        let d = DocxFonts::default();
        let pick = |family: &[String], default: String| family.first().cloned().unwrap_or(default);
        DocxFonts {
            title: pick(&cfg.title.family, d.title),
            body: pick(&cfg.body.family, d.body),
            hei: pick(&cfg.heading.family, d.hei),
            kai: pick(&cfg.kai.family, d.kai),
        }
    }
}

/// Word 文档生成失败（只可能是打包出错）。
#[derive(Debug, thiserror::Error)]
#[error("Word 文档打包失败：{0}")]
pub struct DocxError(#[from] zip::result::ZipError);

/// XML 文字转义。
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 不允许的控制字符去掉（制表符、换行由调用方处理）。
            c if c.is_control() && !matches!(c, '\t' | '\n') => {}
            c => out.push(c),
        }
    }
    out
}

/// 把文档写成 .docx 字节。纯函数：同输入同字节。
pub fn write_docx(doc: &Document, fonts: &DocxFonts) -> Result<Vec<u8>, DocxError> {
    let doc = punct::for_print(doc);
    let files = [
        ("[Content_Types].xml", parts::CONTENT_TYPES.to_string()),
        ("_rels/.rels", parts::ROOT_RELS.to_string()),
        ("docProps/core.xml", parts::core(&doc.meta)),
        ("docProps/app.xml", parts::APP.to_string()),
        ("word/document.xml", body::document(&doc, fonts)),
        ("word/styles.xml", parts::styles(fonts)),
        ("word/settings.xml", parts::SETTINGS.to_string()),
        ("word/footer1.xml", parts::footer(true)),
        ("word/footer2.xml", parts::footer(false)),
        ("word/_rels/document.xml.rels", parts::DOC_RELS.to_string()),
    ];
    // 包内时间戳取文档日期（没有时取 1980-01-01），不读时钟。
    let time = doc
        .meta
        .created
        .and_then(|(y, m, d)| zip::DateTime::from_date_and_time(y as u16, m, d, 0, 0, 0).ok())
        .unwrap_or_default();
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in files {
        zip.start_file(name, opts)?;
        zip.write_all(text.as_bytes())
            .map_err(|e| DocxError(e.into()))?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::{markdown_to_document, Meta};
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn package_has_styles_sections_and_footers() {
        let md = "# 关于报送材料的通知\n\n各单位：\n\n请于2月15日前报送,逾期通报。\n\n## 一、报送要求\n\n| 报送事项 | 截止日期 |\n| --- | --- |\n| 办理方案 | 2023年2月15日 |\n\n> 区人民政府办公室\n> 2023年2月8日\n";
        let meta = Meta {
            title: "通知".into(),
            created: Some((2023, 2, 8)),
            ..Default::default()
        };
        let doc = markdown_to_document(md, meta);
        let a = write_docx(&doc, &DocxFonts::default()).unwrap();
        assert_eq!(
            a,
            write_docx(&doc, &DocxFonts::default()).unwrap(),
            "同输入同字节"
        );
        let body = part(&a, "word/document.xml");
        for want in [
            r#"<w:pStyle w:val="Title"/>"#,
            r#"<w:pStyle w:val="GwAddressee"/>"#,
            r#"<w:pStyle w:val="GwHeading1"/>"#,
            r#"<w:pStyle w:val="GwIssuer"/>"#,
            r#"<w:pStyle w:val="GwDate"/>"#,
            "<w:tblHeader/>",
            // 印刷用全角标点，与 PDF 相同。
            "请于2月15日前报送，逾期通报。",
            r#"<w:pgSz w:w="11906" w:h="16838"/>"#,
            r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588""#,
            r#"<w:footerReference w:type="even" r:id="rIdFooterEven"/>"#,
        ] {
            assert!(body.contains(want), "缺 {want}：{body}");
        }
        let styles = part(&a, "word/styles.xml");
        for name in [
            "一级标题",
            "二级标题",
            "正文顶格",
            "发文机关署名",
            "成文日期",
            "页码",
        ] {
            assert!(
                styles.contains(&format!(r#"<w:name w:val="{name}"/>"#)),
                "{name}"
            );
        }
        assert!(styles.contains("仿宋_GB2312") && styles.contains("方正小标宋简体"));
        assert!(part(&a, "word/footer1.xml").contains(" PAGE "));
        assert!(part(&a, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
        assert!(part(&a, "docProps/core.xml").contains("2023-02-08T00:00:00Z"));
    }

    #[test]
    fn xml_special_characters_are_escaped() {
        assert_eq!(esc("R&D <a> \"x\"\u{7}"), "R&amp;D &lt;a&gt; &quot;x&quot;");
    }
}
