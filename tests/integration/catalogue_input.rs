//! 通知的几种文件（issue 13）：纯文本（含只用 \r 换行、UTF-16）、Word（.docx：LibreOffice 转出的随附通知、
//! 手写的自动编号与任务表夹具）、存下来的网页（.html），以及读不了的文件给出的中文说明。

use crate::support::{duban, fixture, temp_dir};
use duban::catalogue::input::{read_notice, Format};
use duban::catalogue::{parse, Catalogue};
use duban::registry::Registry;
use std::io::Write;
use std::path::{Path, PathBuf};

fn shipped_registry() -> Registry {
    let text = std::fs::read_to_string(fixture("../../content/units.toml")).unwrap();
    Registry::parse(&text, "units.toml").0
}

fn shipped_text() -> String {
    std::fs::read_to_string(fixture("../../content/notice.txt")).unwrap()
}

/// 读文件（按格式转换）并解析；返回格式与目录。
fn read(path: &Path) -> (Format, Catalogue, duban::diag::Diagnostics) {
    let n = read_notice(path).unwrap_or_else(|e| panic!("{e}"));
    let (cat, mut d) = parse(&n.text, "n", &shipped_registry());
    d.extend(n.diagnostics("n"));
    (n.format, cat, d)
}

/// 除来源外完全相同（章、组、任务的全部字段与行号、推断）。
fn assert_same(a: &Catalogue, b: &Catalogue) {
    assert_eq!(a.title, b.title);
    assert_eq!(a.chapters, b.chapters);
    assert_eq!(a.groups, b.groups);
    assert_eq!(a.tasks.len(), b.tasks.len());
    for (x, y) in a.tasks.iter().zip(&b.tasks) {
        assert_eq!(x, y);
    }
    assert_eq!(a.inferences, b.inferences);
}

/// 把夹具目录（Word 的各个部件）打成 .docx。
fn zip_dir(dir: &Path, out: &Path) -> PathBuf {
    let f = std::fs::File::create(out).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(p);
            }
        }
    }
    files.sort();
    for p in files {
        let name = p
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        z.start_file(name, opts).unwrap();
        z.write_all(&std::fs::read(&p).unwrap()).unwrap();
    }
    z.finish().unwrap();
    out.to_path_buf()
}

#[test]
fn text_with_cr_only_and_utf16_reads_like_the_original() {
    let dir = temp_dir("input-text");
    let (_, want, _) = read(&fixture("../../content/notice.txt"));
    assert_eq!(want.key_tasks(), 135);
    // 老式 Mac 文件：只用 \r 换行（原先读成一行，0 项任务却“没有错误”）。
    let cr = dir.join("cr.txt");
    std::fs::write(&cr, shipped_text().replace('\n', "\r")).unwrap();
    let (f, cat, d) = read(&cr);
    assert_eq!(f, Format::Text);
    assert!(!d.has_errors());
    assert_same(&cat, &want);
    // 记事本的“Unicode”（UTF-16 LE，带 BOM），Windows 换行。
    let u16 = dir.join("u16.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for c in shipped_text().replace('\n', "\r\n").encode_utf16() {
        bytes.extend(c.to_le_bytes());
    }
    std::fs::write(&u16, bytes).unwrap();
    assert_same(&read(&u16).1, &want);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn docx_of_the_shipped_notice_equals_the_text() {
    // 夹具由 `soffice --headless --convert-to docx content/notice.txt` 生成（LibreOffice 存的 Word 文档）。
    let (f, cat, d) = read(&fixture("catalogue-input/notice-libreoffice.docx"));
    assert_eq!(f, Format::Docx);
    assert!(!d.has_errors(), "{:?}", d.sorted());
    let (_, want, _) = read(&fixture("../../content/notice.txt"));
    assert_same(&cat, &want);
    assert_eq!(cat.key_tasks(), 135);
}

#[test]
fn docx_with_word_numbering_gets_the_numbers_word_shows() {
    let dir = temp_dir("input-numbered");
    let docx = zip_dir(
        &fixture("catalogue-input/numbered"),
        &dir.join("numbered.docx"),
    );
    let n = read_notice(&docx).unwrap();
    // 与 LibreOffice 打开这份文件显示的编号相同（一、（一）1. 2. 3. 4. 二、（一）1. 2.）；删除的修订、
    // 隐藏文字不读，手动换行另起一行，项目符号不出编号。
    assert_eq!(
        n.text,
        "某区2023年《政府工作报告》\n重点任务分工方案\n一、重点工作（共4项）\n（一）推动产业发展\n——壮大主导产业（总牵头单位：区发改局）\n1.加快建设光谷南科技城。（牵头单位：区发改局；责任单位：区科经局）\n2.推进产业链招商，\n引进重点项目。（牵头单位：区商务局）\n（本组任务按季度调度）\n（二）保障改善民生\n——提高社会保障水平（总牵头单位：区人社局）\n3.做好稳就业工作，扩大就业。（牵头单位：区人社局）\n4.完善养老服务体系。\t（牵头单位：区民政局）\n二、全力建设人民满意政府\n（一）筑牢政治信仰\n1.旗帜鲜明讲政治。（责任单位：各街道办事处）\n2.坚持依法行政。（牵头单位：区司法局）\n附件\n3.附件里的编号段落不是任务。\n"
    );
    let (_, cat, d) = read(&docx);
    let ids: Vec<&str> = cat.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "二.1", "二.2"]);
    assert_eq!(cat.groups[1].overall_leads[0].name, "区人社局");
    assert_eq!(cat.tasks[1].text, "推进产业链招商，引进重点项目。");
    // “（本组任务按季度调度）”在任务 2 的单位括注之后：报告而不悄悄丢弃。
    let all: Vec<String> = d.sorted().iter().map(|x| x.to_string()).collect();
    assert!(!d.has_errors(), "{all:#?}");
    assert!(
        all.iter()
            .any(|m| m.contains("n:9:1：第2项任务的单位括注之后还有文字")),
        "{all:#?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn docx_task_table_becomes_tasks() {
    let dir = temp_dir("input-table");
    let docx = zip_dir(&fixture("catalogue-input/table"), &dir.join("table.docx"));
    let n = read_notice(&docx).unwrap();
    assert_eq!(
        n.text,
        "某县2023年重点工作任务分工方案\n一、经济发展\n（一）工业\n——（总牵头单位：县发改局）\n1.加快工业园区建设。（牵头单位：县经信局；责任单位：县财政局、县自然资源局）\n2.推进技改项目，加快设备更新。（牵头单位：县经信局；责任单位：各乡镇人民政府）\n——（总牵头单位：县商务局）\n3.做好招商引资。（牵头单位：县商务局；责任单位：县直各单位）\n\n"
    );
    let (_, cat, d) = read(&docx);
    assert_eq!(cat.tasks.len(), 3);
    let overall: Vec<&str> = cat
        .tasks
        .iter()
        .map(|t| cat.overall_leads(t)[0].name.as_str())
        .collect();
    assert_eq!(overall, ["县发改局", "县发改局", "县商务局"]);
    let all: Vec<String> = d.sorted().iter().map(|x| x.to_string()).collect();
    assert!(
        all.iter()
            .any(|m| m.contains("n:2：任务表第6列“责任领导”写的是人员，未计入单位")),
        "{all:#?}"
    );
    assert!(
        all.iter()
            .any(|m| m.contains("任务表第7列“完成时限”不是任务或单位，未读入")),
        "{all:#?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// 政府网站的通知页面：导航、栏目、分享、页脚，整页一行，正文逐段 `<p>`，引号写成实体。
fn web_page(text: &str) -> String {
    let mut body = String::new();
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        let esc = l
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('“', "&ldquo;")
            .replace('”', "&rdquo;")
            .replace('—', "&#8212;");
        body.push_str(&format!("<p style=\"text-indent:2em\">{esc}</p>"));
    }
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>通知</title><script>var x='<p>1.假任务（牵头单位：区发改局）</p>';</script></head><body>\
         <div class=\"top\"><a href=\"/\">首页</a> &gt; <a href=\"/zwgk\">政务公开</a> &gt; <a href=\"/tzgg\">通知公告</a></div>\
         <div class=\"nav\"><ul><li><a href=\"/1\">区情概况</a><li><a href=\"/2\">新闻中心</a></ul></div>\
         <div class=\"article\"><h1>关于印发责任分解方案的通知</h1><div class=\"info\">发布时间：2023-02-07 【字体：<a>大</a> <a>中</a> <a>小</a>】</div>\
         <div id=\"zoom\" class=\"TRS_Editor\">{body}</div><div class=\"share\">分享到：<a>微信</a><a>微博</a></div></div>\
         <div class=\"footer\">主办单位：区人民政府办公室　网站标识码：4201150001 <a href=\"#\">网站地图</a></div></body></html>"
    )
}

#[test]
fn saved_web_page_of_the_shipped_notice_equals_the_text() {
    let dir = temp_dir("input-html");
    let page = dir.join("通知.html");
    let html = web_page(&shipped_text());
    assert!(!html.contains('\n'), "整页一行");
    std::fs::write(&page, html).unwrap();
    let (f, cat, d) = read(&page);
    assert_eq!(f, Format::Html);
    assert!(!d.has_errors(), "{:?}", d.sorted());
    let (_, want, _) = read(&fixture("../../content/notice.txt"));
    assert_same(&cat, &want);
    // 页脚的“主办单位：……”不会被当成单位行并进最后一项任务。
    let n = read_notice(&page).unwrap();
    assert!(
        !n.text.contains("网站标识码") && !n.text.contains("首页"),
        "{}",
        &n.text[..200]
    );
    // 网页里的任务表、<br> 分行。
    let table = dir.join("表.htm");
    std::fs::write(
        &table,
        "<html><body><p>某县重点工作任务分工方案</p><table border=1><thead><tr><th>序号<th>重点任务<th>牵头单位<th>配合单位</thead>\
         <tr><td>1<td>加快园区建设。<td rowspan=2>县发改局<td>县财政局<br>县自然资源局\
         <tr><td>2<td>推进技改。<td>各乡镇人民政府</table></body></html>",
    )
    .unwrap();
    let (_, cat, _) = read(&table);
    let leads: Vec<&str> = cat.tasks.iter().map(|t| t.leads[0].name.as_str()).collect();
    assert_eq!(leads, ["县发改局", "县发改局"]);
    assert_eq!(cat.tasks[0].responsible.len(), 2);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unreadable_files_get_chinese_reasons() {
    let dir = temp_dir("input-bad");
    let cases: &[(&str, &[u8], &[&str])] = &[
        (
            "旧版.doc",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            &["Word 97-2003", "另存为", ".docx"],
        ),
        ("通知.pdf", b"%PDF-1.7\n", &["PDF", "UTF-8 的 .txt"]),
        (
            "坏的.docx",
            b"PK\x03\x04\x14\x00garbage",
            &["不是完好的 Word 文档", "另存为"],
        ),
        (
            "网页.mht",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related",
            &["单一文件网页", "仅 HTML"],
        ),
        (
            "gbk.html",
            b"<html><meta charset=\"gb2312\"><p>\xb8\xc4\xb8\xef</p></html>",
            &["不是 UTF-8", "gb2312"],
        ),
        ("截断.txt", &[0xE7, 0x94, 0xB2, 0xE4, 0xB9], &["被截断"]),
    ];
    for (name, bytes, want) in cases {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        let out = duban(&["catalogue", "--notice", p.to_str().unwrap()]);
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}：{err}");
        for w in *want {
            assert!(err.contains(w), "{name} 缺“{w}”：{err}");
        }
        assert!(
            !err.contains("os error") && !err.contains("invalid"),
            "{name}：{err}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn cli_reads_docx_and_prints_the_converted_text() {
    let docx = fixture("catalogue-input/notice-libreoffice.docx");
    let out = duban(&[
        "catalogue",
        "--notice",
        docx.to_str().unwrap(),
        "--format",
        "text",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.trim_end(), shipped_text().trim_end());
    let out = duban(&[
        "catalogue",
        "--notice",
        docx.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["tasks"].as_array().unwrap().len(), 139);
}
