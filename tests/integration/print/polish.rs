//! 印刷细节，在全区合订本（收了全部 PDF）上逐页检查：全角标点、落款不单独成页、标题只在词间回行、
//! 正文行不字字拉开、“序号”“状态”不折行。

use super::*;
use crate::support::squash;

/// 中文语境里的半角标点：左右（跳过空格）有一边是汉字或全角标点。
fn halfwidth_in_chinese(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut bad = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if !",;:?!()".contains(c) {
            continue;
        }
        let left = chars[..i].iter().rev().find(|c| **c != ' ');
        let right = chars[i + 1..].iter().find(|c| **c != ' ');
        if left.is_some_and(|c| cjk(*c)) || right.is_some_and(|c| cjk(*c)) {
            let ctx: String = chars[i.saturating_sub(12)..(i + 12).min(chars.len())]
                .iter()
                .collect();
            bad.push(ctx);
        }
    }
    bad
}

#[test]
fn chinese_text_prints_fullwidth_punctuation() {
    let text = pdftotext(&district(), &[]);
    let bad = halfwidth_in_chinese(&text);
    assert!(
        bad.is_empty(),
        "{} 处半角标点：{:?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
    // 原文确实有半角逗号（否则测不出什么），换成了全角；邮箱、日期原样。
    assert!(text.contains("延链补链强链，壮大"), "转换后的正文");
    assert!(text.contains("zfducha@163.com"));
    // 检查本身能发现半角标点。
    assert_eq!(halfwidth_in_chinese("强链,壮大 1,000 e.g., x").len(), 1);
    // 数据与 XLSX 保留原文（README“标点”）：任务目录 JSON 里仍是半角。
    let cat = crate::support::duban(&["catalogue", "--format", "json"]);
    assert!(String::from_utf8_lossy(&cat.stdout).contains("延链补链强链,壮大"));
}

#[test]
fn signature_is_never_alone_on_a_page() {
    let cfg: toml::Value = toml::from_str(
        &std::fs::read_to_string(crate::shipped::root().join("duban.toml")).unwrap(),
    )
    .unwrap();
    let issuer = cfg["project"]["issuer"].as_str().unwrap();
    let signature = format!("{issuer}2023年2月8日");
    let text = pdftotext(&district(), &[]);
    let pages: Vec<String> = text
        .split('\u{c}')
        .map(|p| without_page_numbers(&squash(p)))
        .collect();
    let with_signature = pages.iter().filter(|p| p.ends_with(&signature)).count();
    assert!(with_signature > 100, "落款出现 {with_signature} 次");
    let alone: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i] == signature)
        .collect();
    assert!(alone.is_empty(), "只有落款的页（合订本页序）：{alone:?}");
}

/// 标题（2 号字，词高 22 磅）各行，按文档分组：同一页上相邻的标题行。
fn title_lines(ws: &[Word]) -> Vec<Vec<String>> {
    let mut titles: Vec<Vec<String>> = Vec::new();
    let mut last: Option<(usize, f32)> = None;
    for line in lines(ws) {
        if line.iter().any(|w| (w.height() - 22.0).abs() > 0.5) {
            continue;
        }
        let text: String = line.iter().map(|w| w.text.as_str()).collect();
        let (page, y) = (line[0].page, line[0].y0);
        match last {
            Some((p, ly)) if p == page && y - ly < 40.0 => titles.last_mut().unwrap().push(text),
            _ => titles.push(vec![text]),
        }
        last = Some((page, y));
    }
    titles
}

#[test]
fn titles_break_only_between_words() {
    let titles = title_lines(&words(&district()));
    assert!(titles.len() > 300, "只找到 {} 个标题", titles.len());
    let two: Vec<&Vec<String>> = titles.iter().filter(|t| t.len() > 1).collect();
    assert!(two.len() > 60, "两行的标题只有 {} 个", two.len());
    // 不拆的词：TITLE_WORDS 加登记册里的全部单位名。
    let units: Vec<String> = crate::shipped::registry_names();
    let mut bad = Vec::new();
    for t in &two {
        for pair in t.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if let Some(w) = duban::typeset::title::breaks_inside_word(a, b) {
                bad.push(format!("“{a} / {b}”拆开了“{w}”"));
            }
            for u in &units {
                let chars: Vec<char> = u.chars().collect();
                for k in 1..chars.len() {
                    let (x, y): (String, String) =
                        (chars[..k].iter().collect(), chars[k..].iter().collect());
                    if a.ends_with(&x) && b.starts_with(&y) {
                        bad.push(format!("“{a} / {b}”拆开了单位名“{u}”"));
                    }
                }
            }
        }
        // 两行尽量等长：长短差不超过 8 个字。
        let (n0, n1) = (t[0].chars().count() as i64, t[1].chars().count() as i64);
        if (n0 - n1).abs() > 8 {
            bad.push(format!("“{} / {}”两行长短悬殊", t[0], t[1]));
        }
    }
    bad.sort();
    bad.dedup();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// 字间加宽的上限：0.15 个字（3 号字 2.4 磅）。
const MAX_GAP: f32 = 0.15 * 16.0;

#[test]
fn body_lines_are_never_letter_spaced() {
    let ws = words(&district());
    let mut bad = Vec::new();
    let mut checked = 0;
    for line in lines(&ws) {
        // 正文行：3 号字（词高 16 磅）。
        if line.iter().any(|w| (w.height() - 16.0).abs() > 0.5) {
            continue;
        }
        checked += 1;
        for pair in line.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let gap = b.x0 - a.x1;
            let (ea, sb) = (
                a.text.chars().last().unwrap(),
                b.text.chars().next().unwrap(),
            );
            // 汉字之间的空隙：比上限宽又不是一个全角空格（约 1 字宽，如“第1项　”之后）的，是字字拉开。
            if cjk(ea) && cjk(sb) && gap > MAX_GAP && gap < 0.8 * 16.0 {
                bad.push(format!(
                    "第{}页“{}|{}”字距 {gap:.1} 磅",
                    a.page, a.text, b.text
                ));
            }
        }
    }
    assert!(checked > 5_000, "只查了 {checked} 行");
    assert!(
        bad.is_empty(),
        "{} 处：{:?}",
        bad.len(),
        &bad[..bad.len().min(20)]
    );
}

#[test]
fn short_labels_stay_on_one_line() {
    let ws = words(&district());
    let count = |t: &str| ws.iter().filter(|w| w.text == t).count();
    // 附表的“序号”、催报通知的“状态”：整个在一行（折开时会出现单独的“序”“号”）。
    assert!(count("序号") > 200, "序号 {}", count("序号"));
    assert!(count("状态") > 60, "状态 {}", count("状态"));
    for half in ["序", "号", "状", "态"] {
        let pages: Vec<usize> = ws
            .iter()
            .filter(|w| w.text == half)
            .map(|w| w.page)
            .collect();
        assert!(pages.is_empty(), "单独的“{half}”在第 {pages:?} 页");
    }
}
