//! 输出目录与文件清单：单位目录恰为有任务的单位；清单列出每个文件及页数；每份 XLSX 的隐藏键与所在目录一致。

use super::*;

#[test]
fn catalogue_and_registry_as_expected() {
    let s = shipped();
    assert_eq!(s.units.len(), 68);
    assert_eq!(s.cat.tasks.len(), 139);
    assert_eq!(
        s.cat
            .tasks
            .iter()
            .filter(|t| t.id.starts_with("三."))
            .count(),
        4
    );
}

#[test]
fn unit_folders_are_exactly_units_with_a_role() {
    let s = shipped();
    let dirs: BTreeSet<String> = std::fs::read_dir(&s.out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // 打印合订本的目录不是单位目录。
        .filter(|d| d != "打印")
        .collect();
    let want: BTreeSet<String> = s
        .expect
        .iter()
        .filter(|(_, e)| e.any())
        .map(|(u, _)| u.clone())
        .collect();
    let extra: Vec<_> = dirs.difference(&want).collect();
    let missing: Vec<_> = want.difference(&dirs).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "多出的单位目录 {extra:?}，缺少的单位目录 {missing:?}"
    );
    // 所有有角色的单位都是登记册中的单位（目录没有未登记的名字）。
    for u in &want {
        assert!(s.units.contains(u), "{u} 不在登记册中");
    }
    for u in &s.units {
        if !want.contains(u) {
            eprintln!("注意：{u} 没有任何任务（未生成材料）");
        }
    }
}

fn all_files(dir: &Path, base: &Path, out: &mut BTreeSet<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all_files(&p, base, out);
        } else {
            let rel = p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel);
        }
    }
}

/// 简单 CSV（字段可带引号，引号内的 "" 为引号）。
fn csv_fields(line: &str) -> Vec<String> {
    let mut f = Vec::new();
    let mut cur = String::new();
    let mut q = false;
    let mut it = line.chars().peekable();
    while let Some(c) = it.next() {
        match (c, q) {
            ('"', true) if it.peek() == Some(&'"') => {
                cur.push('"');
                it.next();
            }
            ('"', _) => q = !q,
            (',', false) => f.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    f.push(cur);
    f
}

fn pdfinfo_pages(p: &Path) -> u32 {
    let o = crate::support::run_tool(Command::new("pdfinfo").arg(p));
    assert!(o.status.success(), "pdfinfo {}", p.display());
    let s = String::from_utf8(o.stdout).unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn index_lists_every_file_with_page_counts() {
    let s = shipped();
    let text = std::fs::read_to_string(s.out.join("文件清单.csv")).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("单位,文件,文档,页数"));
    let mut listed: BTreeMap<String, (String, String)> = BTreeMap::new();
    for l in lines {
        let f = csv_fields(l);
        assert_eq!(f.len(), 4, "{l}");
        let stem = f[1].rsplit('/').next().unwrap();
        let stem = stem.rsplit_once('.').unwrap().0;
        if let Some(bundle) = f[1].strip_prefix("打印/") {
            // 打印合订本：“打印/NN-单位.pdf”属于该单位，全区本不属于任何单位。
            let (unit, kind) = match stem.split_once('-').map(|x| x.1) {
                Some("全区合订本") => ("", "全区打印合订本"),
                Some(u) => (u, "打印合订本"),
                None => panic!("{bundle}"),
            };
            assert_eq!((f[0].as_str(), f[2].as_str()), (unit, kind), "{l}");
        } else {
            let unit_of_path = f[1].split_once('/').map(|(u, _)| u).unwrap_or("");
            assert_eq!(f[0], unit_of_path, "清单行单位与路径不符：{l}");
            // 文档列 = 文件名去掉“NN-”序号和扩展名。
            assert_eq!(
                Some(f[2].as_str()),
                stem.split_once('-').map(|x| x.1),
                "{l}"
            );
        }
        assert!(
            listed
                .insert(f[1].clone(), (f[2].clone(), f[3].clone()))
                .is_none(),
            "重复：{l}"
        );
    }
    let mut files = BTreeSet::new();
    all_files(&s.out, &s.out, &mut files);
    files.remove("文件清单.csv");
    files.remove(".duban-out");
    files.remove(".duban-lock");
    let keys: BTreeSet<String> = listed.keys().cloned().collect();
    assert_eq!(
        keys.difference(&files).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "清单中有但目录中没有"
    );
    assert_eq!(
        files.difference(&keys).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "目录中有但清单中没有"
    );
    for (f, (_, pages)) in &listed {
        if f.ends_with(".pdf") {
            assert!(
                pages.parse::<u32>().is_ok_and(|n| n > 0),
                "{f}：页数“{pages}”"
            );
        } else {
            assert!(pages.is_empty(), "{f}：非 PDF 却有页数“{pages}”");
        }
    }
    // 页数与 pdfinfo 一致：均匀抽 10 份 PDF（含总表）。
    let pdfs: Vec<&String> = listed.keys().filter(|f| f.ends_with(".pdf")).collect();
    let step = pdfs.len() / 10;
    for k in 0..10 {
        let f = pdfs[k * step];
        let want = pdfinfo_pages(&s.out.join(f));
        assert_eq!(
            listed[f].1,
            want.to_string(),
            "{f}：清单页数与 pdfinfo 不符"
        );
    }
}

#[test]
fn hidden_keys_of_every_xlsx_match_its_folder() {
    // 每个单位目录下的每份 XLSX：duban.unit = 目录名，duban.form 与文件名一致。
    let s = shipped();
    let mut n = 0;
    for (unit, _) in s.expect.iter().filter(|(_, e)| e.any()) {
        for e in std::fs::read_dir(s.out.join(unit)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "xlsx") {
                let props = custom_props(&p);
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                let form = prop(&props, "duban.form").unwrap();
                assert_eq!(
                    prop(&props, "duban.unit").as_deref(),
                    Some(unit.as_str()),
                    "{name}"
                );
                let ok = match form.as_str() {
                    "附表1" => name.contains("附表1-办理方案"),
                    "总体办理方案" => name.contains("总体办理方案"),
                    "附表2" => name.contains("附表2"),
                    "附表3" => name.contains("附表3"),
                    _ => false,
                };
                assert!(ok, "{unit}/{name}：duban.form = {form}");
                n += 1;
            }
        }
    }
    assert!(n > 150, "只核对了 {n} 份 XLSX");
}
