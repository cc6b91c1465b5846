//! 打印合订本：全区一本（封面目录、按单位和文件的书签、双面时每份从奇数页开始）、每个单位一本
//! （文字与各文件逐字相同）；横排页带 /Rotate 90；只生成部分单位时不出全区本。

use super::*;
use crate::support::{self, squash};
use std::collections::BTreeMap;
use std::process::Command;

/// 书签：(标题, 起始页, 下级书签)。
type Outline = (String, usize, Vec<(String, usize)>);

fn outlines(pdf: &Path) -> Vec<Outline> {
    let o = Command::new("qpdf")
        .args(["--json", "--json-key=outlines"])
        .arg(pdf)
        .output()
        .expect("需要 qpdf");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let page = |n: &serde_json::Value| n["destpageposfrom1"].as_u64().unwrap() as usize;
    v["outlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let kids = n["kids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| (k["title"].as_str().unwrap().to_string(), page(k)))
                .collect();
            (n["title"].as_str().unwrap().to_string(), page(n), kids)
        })
        .collect()
}

/// 文件清单.csv：相对路径 → 页数（PDF）。
fn index_pages() -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(out().join("文件清单.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let pages = f.last()?.parse().ok()?;
            Some((f[1].trim_matches('"').to_string(), pages))
        })
        .collect()
}

fn page_count(pdf: &Path) -> usize {
    let o = Command::new("pdfinfo").arg(pdf).output().unwrap();
    let info = String::from_utf8_lossy(&o.stdout).to_string();
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn qpdf_check(pdf: &Path) {
    let o = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "qpdf --check {}：{}",
        pdf.display(),
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn district_bundle_has_cover_bookmarks_and_odd_starts() {
    let pdf = district();
    qpdf_check(&pdf);
    let pages = index_pages();
    let marks = outlines(&pdf);
    assert_eq!(marks[0].0, "封面目录");
    assert_eq!(marks.last().unwrap().0, "00-责任分解总表");
    let units = &marks[1..marks.len() - 1];
    assert_eq!(units.len(), 68);
    let text = pdftotext(&pdf, &[]);
    let sheets: Vec<&str> = text.split('\u{c}').collect();
    let cover = squash(&sheets[..marks[1].1 - 1].concat());
    let mut prev_end = marks[1].1 - 1;
    for (unit, start, kids) in units {
        // 单位书签下是它目录里的每个 PDF（按文件名顺序），每份从奇数页开始（默认双面）。
        let dir = out().join(unit);
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".pdf"))
            .collect();
        files.sort();
        let titles: Vec<String> = kids.iter().map(|k| format!("{}.pdf", k.0)).collect();
        assert_eq!(titles, files, "{unit}");
        assert_eq!(*start, kids[0].1, "{unit}");
        let mut end = 0;
        for (title, page) in kids {
            assert_eq!(page % 2, 1, "{unit} {title} 从第 {page} 页开始");
            // 前一份之后最多补一张空白页，空白页上没有字。
            assert!(
                *page == prev_end + 1 || *page == prev_end + 2,
                "{unit} {title}"
            );
            if *page == prev_end + 2 {
                assert!(
                    squash(sheets[prev_end]).is_empty(),
                    "第 {} 页不是空白页",
                    prev_end + 1
                );
            }
            let n = pages[&format!("{unit}/{title}.pdf")];
            end = page + n - 1;
            prev_end = end;
        }
        // 封面目录：该单位的份数、页数与起止页。
        let n: usize = kids
            .iter()
            .map(|k| pages[&format!("{unit}/{}.pdf", k.0)])
            .sum();
        let row = format!("{unit}{}{n}{start}–{end}", kids.len());
        assert!(cover.contains(&row), "封面目录缺“{row}”");
    }
    // 最后是责任分解总表，也从奇数页开始；合订本到它为止。
    let (title, master, _) = marks.last().unwrap();
    assert!(
        *master == prev_end + 1 || *master == prev_end + 2,
        "{title}"
    );
    assert_eq!(master % 2, 1);
    let n = pages["00-责任分解总表.pdf"];
    assert_eq!(page_count(&pdf), master + n - 1);
    assert!(cover.contains(&format!("责任分解总表1{n}{master}–{}", master + n - 1)));
}

#[test]
fn unit_bundle_has_the_same_text_as_the_unit_files() {
    let unit = "区商务局";
    let dir = out().join(unit);
    let bundle = std::fs::read_dir(out().join("打印"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .ends_with(&format!("-{unit}.pdf"))
        })
        .expect("区商务局的合订本");
    qpdf_check(&bundle);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let want: String = files.iter().map(|f| squash(&pdftotext(f, &[]))).collect();
    assert_eq!(squash(&pdftotext(&bundle, &[])), want);
    // 横排的附表1 在合订本里也带 /Rotate 90，竖排页不转。
    let o = Command::new("pdfinfo")
        .args(["-f", "1", "-l", "999"])
        .arg(&bundle)
        .output()
        .unwrap();
    let rot: Vec<u32> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.contains(" rot:"))
        .map(|l| l.split_whitespace().last().unwrap().parse().unwrap())
        .collect();
    let marks = outlines(&bundle);
    let plan = marks
        .iter()
        .position(|m| m.0.contains("附表1-办理方案"))
        .unwrap();
    let (from, to) = (marks[plan].1, marks[plan + 1].1);
    for (i, r) in rot.iter().enumerate() {
        let page = i + 1;
        let p = page.to_string();
        let blank = squash(&pdftotext(&bundle, &["-f", &p, "-l", &p])).is_empty();
        let landscape = page >= from && page < to && !blank;
        assert_eq!(*r, if landscape { 90 } else { 0 }, "第 {page} 页");
    }
}

/// 夹具项目的一份配置，路径都指向夹具（绝对路径），另加几行设置。
fn fixture_config(dir: &Path, extra: &str) -> PathBuf {
    let base = support::fixture("build");
    let text = std::fs::read_to_string(base.join("duban.toml")).unwrap();
    let paths = format!(
        "[paths]\nnotice = {:?}\nunits = {:?}\nsubmissions = {:?}\ntemplates = {:?}\n\n",
        base.join("content/notice.txt"),
        base.join("content/units.toml"),
        base.join("content/submissions"),
        base.join("templates"),
    );
    let cfg = dir.join("duban.toml");
    std::fs::write(&cfg, format!("{text}\n{paths}{extra}")).unwrap();
    cfg
}

#[test]
fn simplex_bundles_and_partial_builds() {
    let dir = support::temp_dir("print-simplex");
    let cfg = fixture_config(&dir, "[pdf]\nduplex = false\n");
    let out = dir.join("out");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "-c",
            cfg.to_str().unwrap(),
            "build",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        support::duban(&args)
    };
    run(&[]);
    let district = out.join("打印/00-全区合订本.pdf");
    // 单面：各份紧接着排，没有空白页。
    let marks = outlines(&district);
    let mut prev_end = marks[1].1 - 1;
    for (unit, _, kids) in &marks[1..marks.len() - 1] {
        for (title, page) in kids {
            assert_eq!(*page, prev_end + 1, "{unit} {title}");
            prev_end = page + page_count(&out.join(unit).join(format!("{title}.pdf"))) - 1;
        }
    }
    // 只生成一个单位：全区本不完整，不出（上一轮的删除并报告），单位本照出。
    let o = run(&["--unit", "区商务局"]);
    assert!(!district.exists());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("已删除过期文件：打印/00-全区合订本.pdf"),
        "{stderr}"
    );
    let unit_bundles: Vec<String> = std::fs::read_dir(out.join("打印"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        unit_bundles.iter().any(|n| n.ends_with("-区商务局.pdf")),
        "{unit_bundles:?}"
    );
}
