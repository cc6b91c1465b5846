//! 任务清单：每个单位的清单恰好列出它的任务，按角色分节，相关单位与“经短语列入”标注照目录。

use super::*;
use crate::support::halfwidth;

/// 任务清单里印出的任务称呼：“第N项” → "N"，“第三部分第N项” → "三.N"。
fn task_labels(text: &str) -> BTreeSet<String> {
    let chars: Vec<char> = squash(text).chars().collect();
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '第' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '项' {
                let n: String = chars[i + 1..j].iter().collect();
                let before: String = chars[i.saturating_sub(4)..i].iter().collect();
                out.insert(if before == "第三部分" {
                    format!("三.{n}")
                } else {
                    n
                });
                i = j;
            }
        }
        i += 1;
    }
    out
}

/// 任务清单按角色分的节：角色 → (标题中的项数, 节内的任务序号)。
fn role_sections(text: &str) -> BTreeMap<String, (usize, BTreeSet<String>)> {
    let roles = ["总牵头单位", "牵头单位", "责任单位"];
    // 各节标题“作为X（N项）”的位置。
    let mut heads: Vec<(usize, usize, String, usize)> = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("作为") {
        let at = from + p;
        let after = &text[at + "作为".len()..];
        if let Some(role) = roles.iter().find(|r| after.starts_with(&format!("{r}（"))) {
            let rest = &after[role.len() + "（".len()..];
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if !digits.is_empty() && rest[digits.len()..].starts_with("项）") {
                let end = at + "作为".len() + role.len() + "（".len() + digits.len() + "项）".len();
                heads.push((at, end, role.to_string(), digits.parse().unwrap()));
            }
        }
        from = at + "作为".len();
    }
    let mut out = BTreeMap::new();
    for (k, (_, end, role, n)) in heads.iter().enumerate() {
        let stop = heads.get(k + 1).map(|h| h.0).unwrap_or(text.len());
        let prev = out.insert(role.clone(), (*n, task_labels(&text[*end..stop])));
        assert!(prev.is_none(), "“作为{role}”一节出现两次");
    }
    out
}

/// 去掉页码“—N—”（去空白后），免得它插在跨页的任务正文中间。
fn without_page_numbers(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '—' {
            let mut j = i + 1;
            while j < chars.len() && chars[j].is_ascii_digit() {
                j += 1;
            }
            if j > i + 1 && j < chars.len() && chars[j] == '—' {
                i = j + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// 清单中每个任务条目（从“第N项”到下一个条目）里“本单位经“X”列入”的 X：任务序号 → 短语集合。
fn via_marks(text: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut cur: Option<String> = None;
    let mut rest = text;
    while !rest.is_empty() {
        // 下一处“第N项”或“本单位经“”，取较早者。
        let label = next_label(rest);
        let via = rest.find("本单位经“");
        match (label, via) {
            (Some((at, end, id)), v) if v.is_none_or(|v| at < v) => {
                cur = Some(id);
                rest = &rest[end..];
            }
            (_, Some(v)) => {
                let after = &rest[v + "本单位经“".len()..];
                let close = after.find('”').unwrap();
                let id = cur.clone().unwrap_or_else(|| "（无条目）".into());
                out.entry(id)
                    .or_default()
                    .insert(after[..close].to_string());
                rest = &after[close..];
            }
            _ => break,
        }
    }
    out
}

/// 文中下一处任务称呼：(起点字节, 终点字节, 任务序号)。
fn next_label(text: &str) -> Option<(usize, usize, String)> {
    let mut from = 0;
    while let Some(p) = text[from..].find('第') {
        let at = from + p;
        let after = &text[at + '第'.len_utf8()..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        if !digits.is_empty() && after[digits.len()..].starts_with('项') {
            let end = at + '第'.len_utf8() + digits.len() + '项'.len_utf8();
            let id = if text[..at].ends_with("第三部分") {
                format!("三.{digits}")
            } else {
                digits
            };
            return Some((at, end, id));
        }
        from = at + '第'.len_utf8();
    }
    None
}

/// 期望的“经短语列入”标注：本单位在该任务上没有被直接点名（牵头或责任），而经短语点到；
/// 标注的短语为点到本单位的第一个短语（牵头单位中的优先，其次责任单位，按文中顺序）。
fn expected_via(s: &Shipped, unit: &str, e: &Expect) -> BTreeMap<String, BTreeSet<String>> {
    let reg = load_registry();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for &i in e.lead.iter().chain(&e.resp) {
        let t = &s.cat.tasks[i];
        let named = |list: &[String]| {
            list.iter()
                .any(|n| !reg.groups.contains_key(&norm(n)) && reg.expand(n) == [unit])
        };
        let role_list = if e.lead.contains(&i) {
            &t.leads
        } else {
            &t.responsible
        };
        if named(role_list) {
            continue;
        }
        let phrase = role_list
            .iter()
            .find(|n| reg.groups.contains_key(&norm(n)) && reg.expand(n).iter().any(|m| m == unit))
            .unwrap_or_else(|| panic!("{unit} 第{}项：不在任何短语中", t.id));
        out.entry(t.id.clone()).or_default().insert(phrase.clone());
    }
    out
}

/// 清单中一项任务的相关单位（照目录）：“总牵头单位：…；牵头单位：…；责任单位：…”。
fn units_of(t: &CTask) -> String {
    let mut parts = Vec::new();
    for (role, list) in [
        ("总牵头单位", &t.overall_leads),
        ("牵头单位", &t.leads),
        ("责任单位", &t.responsible),
    ] {
        if !list.is_empty() {
            parts.push(format!("{role}：{}", list.join("、")));
        }
    }
    parts.join("；")
}

/// README“任务清单”：只列摘要的任务——本单位是责任单位（不牵头）、只经群体短语点到、
/// 且不由本单位自己按季度报送（那些要自己报附表3 的印全文）。
fn brief_expected(s: &Shipped, unit: &str, e: &Expect) -> BTreeSet<usize> {
    let via = expected_via(s, unit, e);
    e.resp
        .iter()
        .copied()
        .filter(|i| via.contains_key(&s.cat.tasks[*i].id) && !e.quarterly.contains(i))
        .collect()
}

/// “经群体短语列入的任务”一节表格里的序号（按版面提取：每行开头的“12”“三.2”）。
fn brief_ids(pdf: &Path) -> (Option<usize>, BTreeSet<String>) {
    let text = pdftotext(pdf, &["-layout"]);
    let Some(at) = text.find("经群体短语列入的任务（") else {
        return (None, BTreeSet::new());
    };
    let head = &text[at + "经群体短语列入的任务（".len()..];
    let n: String = head.chars().take_while(|c| c.is_ascii_digit()).collect();
    let mut ids = BTreeSet::new();
    for line in text[at..].lines() {
        let t = line.trim_start();
        let id: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '三' || *c == '.')
            .collect();
        let rest = &t[id.len()..];
        let digits = id.trim_start_matches("三.");
        let well_formed = !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && (id == digits || id.starts_with("三."));
        if well_formed && (rest.is_empty() || rest.starts_with(' ')) {
            ids.insert(id);
        }
    }
    (n.parse().ok(), ids)
}

#[test]
fn tasklist_mentions_exactly_the_units_tasks() {
    let s = shipped();
    // 前提：任务正文本身不含“第N项”，否则下面的提取会数多。
    for t in &s.cat.tasks {
        assert!(
            task_labels(&t.text).is_empty(),
            "任务 {} 正文含“第N项”",
            t.id
        );
    }
    let mut bad = Vec::new();
    for (unit, e) in s.expect.iter().filter(|(_, e)| e.any()) {
        let Some(pdf) = doc(&s.out, unit, "任务清单", "pdf") else {
            bad.push(format!("{unit}：没有任务清单"));
            continue;
        };
        let text = without_page_numbers(&squash(&pdfraw(&pdf)));
        // 正文按半角标点比较（PDF 印全角，目录保留原文）。
        let text_h = halfwidth(&text);
        let brief = brief_expected(s, unit, e);
        // 印全文（或“正文见前”）的任务：总牵头、牵头和不在摘要表里的责任任务。
        let mut full = e.overall.clone();
        full.extend(&e.lead);
        full.extend(e.resp.difference(&brief));
        let got = task_labels(&text);
        let want: BTreeSet<String> = ids(&s.cat, &full).into_iter().collect();
        if got != want {
            bad.push(format!(
                "{unit}：清单多出 {:?}，缺少 {:?}",
                got.difference(&want).collect::<Vec<_>>(),
                want.difference(&got).collect::<Vec<_>>()
            ));
        }
        // 只经群体短语列入的任务：摘要表里恰好是这些，标题里的项数对得上。
        let (n, got) = brief_ids(&pdf);
        let want: BTreeSet<String> = ids(&s.cat, &brief).into_iter().collect();
        if got != want || n.unwrap_or(0) != want.len() {
            bad.push(format!(
                "{unit}：摘要表（标题 {n:?} 项）多出 {:?}，缺少 {:?}",
                got.difference(&want).collect::<Vec<_>>(),
                want.difference(&got).collect::<Vec<_>>()
            ));
        }
        // 按角色分节：各节的任务与条数。
        let sections = role_sections(&text);
        let resp_full: BTreeSet<usize> = e.resp.difference(&brief).copied().collect();
        for (role, want) in [
            ("总牵头单位", &e.overall),
            ("牵头单位", &e.lead),
            ("责任单位", &resp_full),
        ] {
            let want: BTreeSet<String> = ids(&s.cat, want).into_iter().collect();
            match sections.get(role) {
                None if want.is_empty() => {}
                None => bad.push(format!("{unit}：缺“作为{role}”一节（应有 {want:?}）")),
                Some((n, got)) => {
                    if *got != want || *n != want.len() {
                        bad.push(format!(
                            "{unit}：“作为{role}（{n}项）”一节 多出 {:?}，缺少 {:?}",
                            got.difference(&want).collect::<Vec<_>>(),
                            want.difference(got).collect::<Vec<_>>()
                        ));
                    }
                }
            }
        }
        // 每项任务全文恰好印一次（README：同一任务在几节出现时全文只印一次），摘要表里的不印全文。
        for i in e.all_tasks() {
            let t = &s.cat.tasks[i];
            let n = text_h.matches(&halfwidth(&squash(&t.text))).count();
            let expected = usize::from(full.contains(&i));
            if n != expected {
                bad.push(format!(
                    "{unit}：第{}项全文出现 {n} 次（应 {expected} 次）",
                    t.id
                ));
            }
            // 相关单位照目录列出。
            let line = halfwidth(&format!("（{}", units_of(t)));
            if full.contains(&i) && !text_h.contains(&line) {
                bad.push(format!("{unit}：第{}项没有“{line}”", t.id));
            }
        }
        // “本单位经‘短语’列入”：只经短语点到、印全文的任务才有，且短语是点到本单位的第一个短语。
        let got = via_marks(&text);
        let mut want = expected_via(s, unit, e);
        want.retain(|id, _| {
            let i = s.cat.tasks.iter().position(|t| &t.id == id).unwrap();
            !brief.contains(&i)
        });
        if got != want {
            bad.push(format!(
                "{unit}：经短语列入的标注 实际 {got:?}，期望 {want:?}"
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// 清单去空白、去页码后的文字。
fn tasklist_text(s: &Shipped, unit: &str) -> String {
    let pdf =
        doc(&s.out, unit, "任务清单", "pdf").unwrap_or_else(|| panic!("{unit}：没有任务清单"));
    without_page_numbers(&squash(&pdfraw(&pdf)))
}

#[test]
fn joint_overall_leads_prepare_the_overall_plan_together() {
    // 两个总牵头单位的组（主动融入武汉都市圈）：总牵头单位自己牵头的本组任务并入共同制定的
    // 总体办理方案，不向共同总牵头的单位报办理方案；清单写明与谁共同制定。
    let s = shipped();
    let joint: Vec<&CTask> = s
        .cat
        .tasks
        .iter()
        .filter(|t| t.overall_leads.len() > 1)
        .collect();
    assert!(!joint.is_empty(), "目录中应有两个总牵头单位的组");
    let leads = &joint[0].overall_leads;
    assert_eq!(leads.len(), 2, "{leads:?}");
    for (unit, other) in [(&leads[0], &leads[1]), (&leads[1], &leads[0])] {
        // 本单位确实牵头该组的任务（否则本测试测不出什么）。
        assert!(
            joint.iter().any(|t| t.leads.contains(unit)),
            "{unit} 不牵头共同总牵头组的任务"
        );
        let text = tasklist_text(s, unit);
        // 期限表在开头：“一、报送期限”到第一个“作为……”一节。
        let from = text.find("报送期限").unwrap();
        let dl = &text[from..from + text[from..].find("二、作为").unwrap()];
        assert!(
            dl.contains(&format!("与{other}共同制定、联合报送")),
            "{unit}：期限表没写与{other}共同制定总体办理方案：{dl}"
        );
        assert_eq!(
            dl.matches(other.as_str()).count(),
            1,
            "{unit}：期限表中除“共同制定”外不应再出现{other}（不向共同总牵头单位报办理方案）：{dl}"
        );
        if let Some(r) = doc(&s.out, unit, "催报通知", "pdf") {
            let r = squash(&pdfraw(&r));
            assert!(
                !r.contains(other.as_str()),
                "{unit}：催报通知要求向{other}报送：{r}"
            );
        }
    }
}

#[test]
fn responsible_units_are_told_where_each_report_goes() {
    // 有牵头单位的任务：办理情况报牵头单位（写明是谁）；没有牵头单位的第三部分条目：
    // 本单位按季度直接报区政府办公室（duban.toml [deadlines] office）。
    let s = shipped();
    let office = office();
    let leadless = format!("本项无牵头单位，办理情况由本单位按季度直接报{office}");
    let mut bad = Vec::new();
    let mut checked = 0;
    for (unit, e) in s.expect.iter().filter(|(_, e)| !e.resp.is_empty()) {
        let text = tasklist_text(s, unit);
        if text.contains("办理情况报牵头单位。") {
            bad.push(format!("{unit}：仍有一概而论的“办理情况报牵头单位。”"));
        }
        // 摘要表里的任务（只经群体短语列入、报牵头单位）不在“作为责任单位”一节。
        let brief = brief_expected(s, unit, e);
        let (without, with): (Vec<usize>, Vec<usize>) = e
            .resp
            .difference(&brief)
            .partition(|&&i| s.cat.tasks[i].leads.is_empty());
        let n = text.matches(&leadless).count();
        if n != without.len() {
            bad.push(format!(
                "{unit}：无牵头单位的条目 {:?}，“{leadless}”出现 {n} 次",
                ids(&s.cat, &without.iter().copied().collect())
            ));
        }
        let n = text.matches("办理情况报牵头单位").count();
        if n != with.len() {
            bad.push(format!(
                "{unit}：有牵头单位的 {} 项，“办理情况报牵头单位”出现 {n} 次",
                with.len()
            ));
        }
        if with.is_empty() && without.is_empty() {
            continue;
        }
        // 只在“作为责任单位”一节里找（总牵头单位也参与的任务在前一节已列过一次）。
        let from = text.find("作为责任单位（").unwrap();
        let to = text.find("经群体短语列入的任务（").unwrap_or(text.len());
        let section = halfwidth(&text[from..to]);
        for &i in &with {
            let t = &s.cat.tasks[i];
            let start = section
                .find(&halfwidth(&format!("（{}", units_of(t))))
                .unwrap_or_else(|| panic!("{unit}：第{}项没有相关单位", t.id));
            let report = halfwidth(&format!("办理情况报牵头单位{}", t.leads.join("、")));
            // 相关单位之后可能还有“本单位经‘…’列入”，再后才是报送对象。
            let len = units_of(t).chars().count() + report.chars().count() + 30;
            let window: String = section[start..].chars().take(len).collect();
            if !window.contains(&report) {
                bad.push(format!("{unit}：第{}项后没有“{report}”：{window}", t.id));
            }
        }
        checked += 1;
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(checked > 30, "只核对了 {checked} 个责任单位");
}
