//! 读文件的防御：各种“不是 XLSX”、加密、压缩炸弹、超多条目、百万行、损坏；任意字节与变异的
//! 真实 XLSX 都不 panic、不卡住。

use super::*;
use std::io::Write;
use std::time::{Duration, Instant};

/// 一份真实的表（样例目录中区商务局的附表1）。
pub(crate) fn real_xlsx() -> Vec<u8> {
    let (cat, reg) = crate::duties::tests::sample();
    let (d, _) = crate::duties::assign(&cat, &reg);
    let s = crate::forms::sheets::plan_sheet(
        &cat,
        d.get("区商务局").unwrap(),
        &crate::submissions::Submissions::default(),
    );
    let o = crate::xlsx::XlsxOptions {
        created: crate::date::Date::parse("2023-02-08").unwrap(),
        author: String::new(),
        password: None,
    };
    crate::xlsx::write_sheet(&s, &o).unwrap()
}

/// 解开一个压缩包的全部部件。
pub(crate) fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().unwrap().to_string(), v)
        })
        .collect()
}

/// 把部件重新压成 zip（deflate）。
pub(crate) fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(name.as_str(), o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn reads_props_cells_and_merges_of_a_real_form() {
    let book = read_book(&real_xlsx()).unwrap();
    assert_eq!(
        book.props.get("duban.unit").map(String::as_str),
        Some("区商务局")
    );
    assert_eq!(
        book.props.get("duban.form").map(String::as_str),
        Some("附表1")
    );
    assert_eq!(book.sheets.len(), 1);
    let s = &book.sheets[0];
    assert_eq!(s.name, "附表1");
    assert_eq!(s.text(3, 0), "序号");
    assert_eq!(s.text(4, 6), "task=2;row=1");
    assert_eq!(s.text(5, 2), "2.");
    assert!(s.merges.contains(&((4, 0), (7, 0))), "{:?}", s.merges);
}

#[test]
fn not_excel_files_are_named() {
    let cases: [(&[u8], &str); 5] = [
        (b"%PDF-1.7 ...", "PDF"),
        (b"\x89PNG\r\n\x1a\n....", "图片"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "网页"),
        (b"", "空文件"),
        (b"hello world", "其他格式"),
    ];
    for (bytes, want) in cases {
        let e = read_book(bytes).unwrap_err();
        assert!(e.to_string().contains(want), "{want}: {e}");
        assert!(!e.hint().is_empty());
    }
    let docx = rezip(&[("word/document.xml".into(), b"<w/>".to_vec())]);
    assert!(read_book(&docx).unwrap_err().to_string().contains("Word"));
}

#[test]
fn encrypted_and_old_formats() {
    let mut cfb = CFB_MAGIC.to_vec();
    cfb.extend(vec![0u8; 600]);
    assert_eq!(read_book(&cfb).unwrap_err(), ReadError::OldFormat);
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    cfb.extend(&name);
    let e = read_book(&cfb).unwrap_err();
    assert_eq!(e, ReadError::Encrypted);
    assert_eq!(e.to_string(), "文件设了打开密码（已加密），无法读取");
}

/// 40 MB 的 0 压成几十 KB：真解压计数，到 32 MB 就停，不会读完。
#[test]
fn zip_bomb_is_stopped_at_the_part_limit() {
    let mut parts = unzip(&real_xlsx());
    let sheet = parts
        .iter_mut()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap();
    sheet.1 = vec![b' '; 40 << 20];
    let bomb = rezip(&parts);
    assert!(bomb.len() < 1 << 20, "{}", bomb.len());
    let t = Instant::now();
    let e = read_book(&bomb).unwrap_err();
    assert!(
        matches!(&e, ReadError::Bomb(p, 32) if p == "xl/worksheets/sheet1.xml"),
        "{e}"
    );
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[test]
fn too_many_entries_and_too_large() {
    let parts: Vec<(String, Vec<u8>)> = (0..1001).map(|i| (format!("x/{i}"), Vec::new())).collect();
    assert_eq!(
        read_book(&rezip(&parts)).unwrap_err(),
        ReadError::TooManyEntries(1001)
    );
    let big = vec![0u8; MAX_FILE_BYTES as usize + 1];
    assert!(matches!(read_book(&big), Err(ReadError::TooLarge(_))));
}

/// 第 20 万行有内容：报“过大”，不把整张表铺成稠密数组。
#[test]
fn a_million_row_sheet_is_refused() {
    let mut parts = unzip(&real_xlsx());
    let sheet = parts
        .iter_mut()
        .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
        .unwrap();
    let xml = String::from_utf8(sheet.1.clone()).unwrap();
    let far =
        r#"<row r="1000000"><c r="C1000000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#;
    sheet.1 = xml.replacen("</sheetData>", far, 1).into_bytes();
    let e = read_book(&rezip(&parts)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "工作表“附表1”过大（在 C1000000 有内容），不像是报送表"
    );
}

#[test]
fn truncated_file_is_corrupt() {
    let x = real_xlsx();
    for cut in [x.len() / 2, x.len() - 10, 30] {
        let e = read_book(&x[..cut]).unwrap_err();
        assert!(matches!(e, ReadError::Corrupt(_)), "{cut}: {e}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// 任意字节（包括以 zip、OLE 开头的）都不 panic。
    #[test]
    fn arbitrary_bytes_never_panic(head in 0usize..3, body in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
        let mut bytes = [&b"PK\x03\x04"[..], &CFB_MAGIC[..], &b""[..]][head].to_vec();
        bytes.extend(body);
        let _ = read_book(&bytes);
    }

    /// 真实 XLSX 的压缩字节被随机改动：不 panic，1 秒内有结果。
    #[test]
    fn mutated_zip_bytes_never_panic(flips in proptest::collection::vec((0usize..100_000, proptest::num::u8::ANY), 1..8)) {
        let mut x = real_xlsx();
        let n = x.len();
        for (at, b) in flips {
            x[at % n] = b;
        }
        let t = Instant::now();
        let _ = read_book(&x);
        proptest::prop_assert!(t.elapsed() < Duration::from_secs(1));
    }

    /// 解压后的 XML（工作表、共享字符串、工作簿、自定义属性）被随机改动再压好：不 panic、不卡住。
    #[test]
    fn mutated_xml_never_panics(part in 0usize..4, flips in proptest::collection::vec((0usize..100_000, proptest::num::u8::ANY), 1..12)) {
        let mut parts = unzip(&real_xlsx());
        let name = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "docProps/custom.xml"][part];
        let data = &mut parts.iter_mut().find(|(n, _)| n == name).unwrap().1;
        let n = data.len();
        for (at, b) in flips {
            data[at % n] = b;
        }
        let t = Instant::now();
        let _ = read_book(&rezip(&parts));
        proptest::prop_assert!(t.elapsed() < Duration::from_secs(1));
    }
}

/// 针对性的恶意数字：越界的共享字符串序号、样式序号、巨大的区域与合并区、巨大的共享公式序号。
#[test]
fn hostile_numbers_in_xml_are_harmless() {
    let cases = [
        ("<v>0</v>", "<v>4294967295</v>"),
        (
            r#"<c r="A1" s="1" t="s">"#,
            r#"<c r="A1" s="99999999" t="s">"#,
        ),
        (
            r#"<dimension ref="A1:G8"/>"#,
            r#"<dimension ref="A1:XFD1048576"/>"#,
        ),
        (
            r#"<mergeCell ref="A5:A8"/>"#,
            r#"<mergeCell ref="D5:D1048576"/>"#,
        ),
        (
            r#"<c r="A1" s="1" t="s"><v>0</v></c>"#,
            r#"<c r="A1"><f t="shared" si="4294967295" ref="A1:A9">1</f><v>1</v></c>"#,
        ),
    ];
    for (from, to) in cases {
        let mut parts = unzip(&real_xlsx());
        let sheet = &mut parts
            .iter_mut()
            .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
            .unwrap()
            .1;
        let xml = String::from_utf8(sheet.clone()).unwrap();
        assert!(xml.contains(from), "{from}\n{xml}");
        *sheet = xml.replacen(from, to, 1).into_bytes();
        let t = Instant::now();
        let _ = read_book(&rezip(&parts));
        assert!(t.elapsed() < Duration::from_secs(1), "{to}");
    }
}
