//! Word 副本：LibreOffice（无界面）打开任务清单与催报通知的 .docx，导出的文字与 PDF 逐段一致；
//! 包里的页面设置、样式名与页码照 GB/T 9704。

use super::*;
use crate::support::{self, squash};
use std::io::Read;
use std::process::Command;

/// .docx 包里的一个部分。
fn part(docx: &Path, name: &str) -> String {
    let f = std::fs::File::open(docx).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Word 副本导出的各段（去空白、非空）依次出现在 PDF 文字里；中间跳过的只能是页码和续页重复的表头。
fn same_text(docx_txt: &str, pdf_txt: &str, headers: &[String]) -> Result<(), String> {
    let pdf = without_page_numbers(&squash(pdf_txt));
    let mut pos = 0;
    let mut paragraphs = 0;
    for line in docx_txt.lines().map(squash).filter(|l| !l.is_empty()) {
        let line = line.trim_start_matches('\u{feff}').to_string();
        let at = pdf[pos..]
            .find(&line)
            .ok_or_else(|| format!("PDF 中（{pos} 字节之后）没有“{line}”"))?;
        let skipped = &pdf[pos..pos + at];
        if !skipped.is_empty() && !headers.iter().any(|h| h == skipped) {
            return Err(format!("PDF 多出“{skipped}”（在“{line}”之前）"));
        }
        pos += at + line.len();
        paragraphs += 1;
    }
    if pos != pdf.len() {
        return Err(format!("PDF 末尾多出“{}”", &pdf[pos..]));
    }
    if paragraphs < 5 {
        return Err(format!("只导出 {paragraphs} 段"));
    }
    Ok(())
}

#[test]
fn word_copies_open_in_libreoffice_with_the_pdf_text() {
    let docs = [
        "郑店街道办事处/01-任务清单",
        "区发改局/01-任务清单",
        "区发改局/06-催报通知",
    ];
    let conv = support::temp_dir("print-word");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        conv.join("profile").display()
    );
    // 各单位的文件同名：先复制成不同的名字再一次转换。
    let copies: Vec<PathBuf> = docs
        .iter()
        .map(|d| {
            let to = conv.join(format!("{}.docx", d.replace('/', "-")));
            std::fs::copy(out().join(format!("{d}.docx")), &to).unwrap();
            to
        })
        .collect();
    let o = Command::new("soffice")
        .arg(&profile)
        .args(["--headless", "--convert-to", "txt:Text", "--outdir"])
        .arg(&conv)
        .args(&copies)
        .output()
        .expect("需要 LibreOffice（soffice）");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // 续页重复的表头（PDF 每页重复，Word 由“标题行重复”属性在显示时重复）。
    let headers: Vec<String> = [
        "序号任务摘要牵头单位",
        "报送事项报送对象截止日期",
        "报送事项报送对象截止日期状态",
    ]
    .map(String::from)
    .to_vec();
    for d in docs {
        let txt = conv.join(format!("{}.txt", d.replace('/', "-")));
        let txt = std::fs::read_to_string(txt).unwrap();
        let pdf = pdftotext(&out().join(format!("{d}.pdf")), &["-raw"]);
        if let Err(e) = same_text(&txt, &pdf, &headers) {
            panic!("{d}：{e}");
        }
    }
    // 检查本身发现得了多出、缺少的文字。
    assert!(same_text("甲\n乙\n丙\n丁\n戊\n", "甲乙丙丁戊", &headers).is_ok());
    assert!(same_text("甲\n乙\n丙\n丁\n戊\n", "甲乙多丙丁戊", &headers).is_err());
    assert!(same_text("甲\n乙\n丙\n丁\n戊\n", "甲乙丙丁", &headers).is_err());
}

#[test]
fn word_copies_follow_gbt9704_page_setup_and_styles() {
    let docx = out().join("区发改局/01-任务清单.docx");
    let body = part(&docx, "word/document.xml");
    // A4，天头 37 mm、订口 28 mm、切口 26 mm、地脚 35 mm（缇），单双页页脚。
    for want in [
        r#"<w:pgSz w:w="11906" w:h="16838"/>"#,
        r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588""#,
        r#"<w:footerReference w:type="default" r:id="rIdFooterOdd"/>"#,
        r#"<w:footerReference w:type="even" r:id="rIdFooterEven"/>"#,
        r#"<w:pStyle w:val="Title"/>"#,
        r#"<w:pStyle w:val="GwHeading1"/>"#,
        r#"<w:pStyle w:val="GwHeading2"/>"#,
        r#"<w:pStyle w:val="GwIssuer"/>"#,
        r#"<w:pStyle w:val="GwDate"/>"#,
        "<w:tblHeader/>",
    ] {
        assert!(body.contains(want), "缺 {want}");
    }
    let styles = part(&docx, "word/styles.xml");
    for name in [
        "Normal",
        "Title",
        "一级标题",
        "二级标题",
        "三级标题",
        "正文顶格",
        "发文机关署名",
        "成文日期",
        "表格文字",
        "页码",
    ] {
        assert!(
            styles.contains(&format!(r#"<w:name w:val="{name}"/>"#)),
            "缺样式 {name}"
        );
    }
    // 正文 3 号仿宋、每页 22 行（行距 28.95 磅 = 580 缇）；标题 2 号小标宋。
    assert!(
        styles.contains(r#"w:eastAsia="仿宋_GB2312""#) && styles.contains(r#"<w:sz w:val="32"/>"#)
    );
    assert!(styles.contains(r#"w:line="580" w:lineRule="exact""#));
    assert!(
        styles.contains(r#"w:eastAsia="方正小标宋简体""#)
            && styles.contains(r#"<w:sz w:val="44"/>"#)
    );
    // 页码“— N —”：单页居右、双页居左。
    let odd = part(&docx, "word/footer1.xml");
    let even = part(&docx, "word/footer2.xml");
    assert!(odd.contains(" PAGE ") && odd.contains(r#"<w:jc w:val="right"/>"#));
    assert!(even.contains(" PAGE ") && even.contains(r#"<w:jc w:val="left"/>"#));
    assert!(part(&docx, "word/settings.xml").contains("<w:evenAndOddHeaders/>"));
}
