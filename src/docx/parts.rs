//! .docx 包里除正文外的各部分：内容类型、关系、文档属性、样式表、设置、页脚（页码）。

use super::{esc, DocxFonts};
use crate::typeset::Meta;

pub(super) const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

pub(super) const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#;

pub(super) const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>"#;

pub(super) const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>"#;

pub(super) const APP: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>duban（督办）</Application></Properties>"#;

/// 单双页不同的页脚；标点压缩（中文标点半角化挤压，与 PDF 一样每行容得下 28 字）。
pub(super) const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:evenAndOddHeaders/><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

/// 文档属性：标题、作者（发文机关）、主题、创建日期（来自配置，不读时钟）。
pub(super) fn core(m: &Meta) -> String {
    let date = m
        .created
        .map(|(y, mo, d)| format!("{y:04}-{mo:02}-{d:02}T00:00:00Z"))
        .unwrap_or_else(|| "1980-01-01T00:00:00Z".into());
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><dc:language>zh-CN</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified></cp:coreProperties>"#,
        esc(&m.title),
        esc(&m.subject),
        esc(&m.author)
    )
}

/// 行距：版心 225 mm 排 22 行，每行 28.95 磅（缇 = 磅 × 20）。
pub(super) const LINE: u32 = 580;

fn fonts_xml(east_asia: &str) -> String {
    format!(
        r#"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{0}" w:cs="Times New Roman"/>"#,
        esc(east_asia)
    )
}

/// 一个段落样式。`ppr`、`rpr` 是样式自己的段落与文字属性。
fn para_style(id: &str, name: &str, based: Option<&str>, ppr: &str, rpr: &str) -> String {
    let based = based
        .map(|b| format!(r#"<w:basedOn w:val="{b}"/>"#))
        .unwrap_or_default();
    format!(
        r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/>{based}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"#
    )
}

/// 样式表：按 GB/T 9704 的公文要素命名。
pub(super) fn styles(f: &DocxFonts) -> String {
    let exact = |line: u32| {
        format!(r#"<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>"#)
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr>{}<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>{}</w:pPr></w:pPrDefault></w:docDefaults>{}<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#,
        fonts_xml(&f.body),
        exact(LINE),
        [paragraph_styles(f), other_styles()].concat().concat()
    )
}

/// 正文、标题、各级标题的样式。
fn paragraph_styles(f: &DocxFonts) -> Vec<String> {
    let exact = |line: u32| {
        format!(r#"<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>"#)
    };
    let heading = |id: &str, name: &str, font: Option<&str>, level: u8| {
        let rpr = font.map(fonts_xml).unwrap_or_default();
        para_style(
            id,
            name,
            Some("Normal"),
            &format!(r#"<w:keepNext/><w:outlineLvl w:val="{level}"/>"#),
            &rpr,
        )
    };
    vec![
        // 正文：仿宋 3 号，两端对齐，首行缩进两字，固定行距。中文界面显示为“正文”。
        para_style(
            "Normal",
            "Normal",
            None,
            &format!(
                r#"<w:widowControl/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>{}<w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/>"#,
                exact(LINE)
            ),
            &format!(
                r#"{}<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>"#,
                fonts_xml(&f.body)
            ),
        )
        .replace(r#"<w:style w:type="paragraph""#, r#"<w:style w:type="paragraph" w:default="1""#),
        // 标题：2 号小标宋，居中，左右各空一字，下空一行。中文界面显示为“标题”。
        para_style(
            "Title",
            "Title",
            Some("Normal"),
            &format!(
                r#"<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="{LINE}" w:line="616" w:lineRule="exact"/><w:ind w:left="320" w:right="320" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/>"#
            ),
            &format!(r#"{}<w:sz w:val="44"/><w:szCs w:val="44"/>"#, fonts_xml(&f.title)),
        ),
        heading("GwHeading1", "一级标题", Some(&f.hei), 0),
        heading("GwHeading2", "二级标题", Some(&f.kai), 1),
        heading("GwHeading3", "三级标题", None, 2),
        heading("GwHeading4", "四级标题", None, 3),
        para_style(
            "GwAddressee",
            "正文顶格",
            Some("Normal"),
            r#"<w:ind w:firstLineChars="0" w:firstLine="0"/>"#,
            "",
        ),
    ]
}

/// 落款、表格文字、页码的样式。
fn other_styles() -> Vec<String> {
    vec![
        // 落款：成文日期右空四字；发文机关署名以成文日期为准居中（右缩进按字数在正文中给出）。
        para_style(
            "GwIssuer",
            "发文机关署名",
            Some("Normal"),
            &format!(
                r#"<w:keepNext/><w:spacing w:before="{LINE}" w:after="0" w:line="{LINE}" w:lineRule="exact"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/>"#
            ),
            "",
        ),
        para_style(
            "GwDate",
            "成文日期",
            Some("Normal"),
            r#"<w:ind w:right="1280" w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="right"/>"#,
            "",
        ),
        // 表格文字：4 号，行距 1.3 倍，不缩进。
        para_style(
            "GwTableText",
            "表格文字",
            Some("Normal"),
            r#"<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="312" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="left"/>"#,
            r#"<w:sz w:val="28"/><w:szCs w:val="28"/>"#,
        ),
        // 页码：4 号半角宋体阿拉伯数字。
        para_style(
            "GwPageNumber",
            "页码",
            Some("Normal"),
            r#"<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLineChars="0" w:firstLine="0"/>"#,
            &format!(
                r#"{}<w:sz w:val="28"/><w:szCs w:val="28"/>"#,
                fonts_xml("宋体")
            ),
        ),
    ]
}

/// 页脚：“— 页码 —”，单页（`odd`）居右、双页居左，各空一字（4 号字 = 14 磅 = 280 缇）。
pub(super) fn footer(odd: bool) -> String {
    let (jc, ind) = if odd {
        ("right", r#"<w:ind w:right="280" w:firstLine="0"/>"#)
    } else {
        ("left", r#"<w:ind w:left="280" w:firstLine="0"/>"#)
    };
    let run = |inner: &str| format!("<w:r>{inner}</w:r>");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {W_NS}><w:p><w:pPr><w:pStyle w:val="GwPageNumber"/>{ind}<w:jc w:val="{jc}"/></w:pPr>{}{}{}{}{}{}</w:p></w:ftr>"#,
        run(r#"<w:t xml:space="preserve">— </w:t>"#),
        run(r#"<w:fldChar w:fldCharType="begin"/>"#),
        run(r#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#),
        run(r#"<w:fldChar w:fldCharType="separate"/>"#),
        run(r#"<w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>"#),
        run(r#"<w:t xml:space="preserve"> —</w:t>"#),
    )
}
