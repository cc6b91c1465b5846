//! 单位括注里的规则说明与动词写法。
//!
//! - 规则说明：“列第一位者为牵头单位”及各地的说法（排在首位的为汇总单位、第一个单位为主办单位……），
//!   可带“下同”：只管本项，或本项及以后各项，直到下一条说明。说明从括注里整段去掉，不会粘进单位名。
//! - 动词写法：“区发改局牵头，区财政局、区统计局配合”“财政部等按职责分工负责”。

use super::expand::{is_close, is_open, split_top};
use super::Label;

/// 序位词：列第一位、首位……
const ORDINALS: &[&str] = &["第一", "首位", "第1", "首个", "排头", "首家", "最前"];
/// 牵头一类的角色词。
const LEAD_WORDS: &[&str] = &["牵头", "汇总", "主办", "主责", "负总责"];
/// “下同”一类：说明管到以后各项。
const FOLLOWING: &[&str] = &["下同", "后同", "以下各项同", "以下同"];

/// 一段文字是不是“列第一位者为牵头单位”一类的说明（可带“下同”）。
pub(super) fn is_first_lead_note(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_start_matches(['注', '备', '说', '明', ':', '：']);
    if t.chars().count() > 36 || t.contains([':', '：']) {
        return false;
    }
    ORDINALS.iter().any(|o| {
        t.match_indices(o).any(|(i, _)| {
            // 序位词与角色词之间只能是“位、的、单位、为……”这类虚字（“列第一位者为牵头”
            // “列首位的单位牵头”），“第一季度由牵头单位汇总”“第1个月”都不是。
            let after: String = t[i + o.len()..].chars().take(10).collect();
            LEAD_WORDS.iter().any(|w| {
                after.find(w).is_some_and(|p| {
                    after[..p]
                        .chars()
                        .all(|c| "位个名家的者单部门为是列在作".contains(c))
                })
            })
        })
    })
}

/// 说明是否带“下同”。
pub(super) fn is_following(s: &str) -> bool {
    FOLLOWING.iter().any(|f| s.contains(f))
}

/// 括注内容里的规则说明：换成等长空白（偏移不变），返回 (处理后的内容, 说明的起始偏移与是否“下同”)。
/// 说明可以是嵌在单位后的括号（“统计局(列第一位者为牵头单位,下同)”），也可以是用逗号隔开的一段。
pub(super) fn strip_notes(content: &str) -> (String, Option<(usize, bool)>) {
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut opens: Vec<usize> = Vec::new();
    for (i, c) in content.char_indices() {
        if is_open(c) {
            opens.push(i);
        } else if is_close(c) {
            if let Some(o) = opens.pop() {
                let inner_start = o + content[o..].chars().next().map_or(1, char::len_utf8);
                if is_first_lead_note(&content[inner_start..i]) {
                    ranges.push((o, i + c.len_utf8()));
                }
            }
        }
    }
    let seps = ['、', ',', '，', ';', '；', '。'];
    let frags = split_top(content, &seps);
    // 不带括号的一段说明（括号里的上面已找过，整段去掉会连单位一起去掉）。
    let bare_note = |f: &str| !f.contains(is_open) && is_first_lead_note(f);
    let has_note = !ranges.is_empty() || frags.iter().any(|(_, f)| bare_note(f));
    if has_note {
        for (off, f) in &frags {
            let t = f.trim();
            if bare_note(t) || FOLLOWING.contains(&t) {
                ranges.push((*off, off + f.len()));
            }
        }
    }
    if ranges.is_empty() {
        return (content.to_string(), None);
    }
    ranges.sort_unstable();
    let following = ranges.iter().any(|&(a, b)| is_following(&content[a..b]));
    let mut out = content.to_string();
    for &(a, b) in &ranges {
        out.replace_range(a..b, &" ".repeat(b - a));
    }
    (out, Some((ranges[0].0, following)))
}

/// 表示“参与”的动词（长的在前）。
const HELP_VERBS: &[&str] = &[
    "按职责分工负责",
    "按职能分工负责",
    "按职责负责",
    "分工负责",
    "共同负责",
    "配合",
    "参与",
    "协助",
    "协办",
    "负责",
];

/// 动词写法的一段：(角色, 单位列表在内容中的偏移, 单位列表, 动词)。
pub(super) type VerbSegment<'s> = (Label, usize, &'s str, &'static str);

/// 动词写法：“区发改局牵头，区财政局、区统计局配合”。至少有一段以“牵头”结尾时才算；
/// 没有动词的段当作参与单位。不是这种写法时为 `None`。
pub(super) fn verb_roles(content: &str) -> Option<Vec<VerbSegment<'_>>> {
    let mut out = Vec::new();
    let mut has_lead = false;
    for (off, seg) in split_top(content, &[',', '，', ';', '；', '。']) {
        let t = seg.trim();
        if t.is_empty() {
            continue;
        }
        let off = off + (seg.len() - seg.trim_start().len());
        let lead = ["牵头负责", "牵头"]
            .iter()
            .find(|v| t.ends_with(*v) && t.len() > v.len());
        if let Some(v) = lead {
            has_lead = true;
            out.push((Label::Lead, off, t[..t.len() - v.len()].trim_end(), "牵头"));
            continue;
        }
        match HELP_VERBS
            .iter()
            .find(|v| t.ends_with(*v) && t.len() > v.len())
        {
            Some(v) => out.push((
                Label::Responsible,
                off,
                t[..t.len() - v.len()].trim_end(),
                *v,
            )),
            None => out.push((Label::Responsible, off, t, "")),
        }
    }
    has_lead.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_lead_notes_in_many_wordings() {
        for yes in [
            "列第一位者为牵头单位",
            "列第一位的为牵头单位,下同",
            "排在首位的单位为汇总单位",
            "第一个单位为主办单位",
            "排名第一的为牵头部门",
            "注：列首位的单位牵头",
            "各项任务中排在第一位的为牵头单位",
        ] {
            assert!(is_first_lead_note(yes), "{yes}");
        }
        for no in [
            "各总牵头单位(无总牵头单位的由牵头单位报送)要在每个季度第1个月的20日前",
            "牵头单位:区发改局",
            "第一季度由牵头单位汇总",
            "区发改局",
        ] {
            assert!(!is_first_lead_note(no), "{no}");
        }
    }

    #[test]
    fn notes_are_cut_out_whole() {
        let c = "区发改局、财政局、统计局(列第一位者为牵头单位,下同)";
        let (s, note) = strip_notes(c);
        assert_eq!(s.trim_end(), "区发改局、财政局、统计局");
        assert_eq!(s.len(), c.len());
        assert_eq!(note, Some(("区发改局、财政局、统计局".len(), true)));
        let (s, note) = strip_notes("区发改局、区财政局，排在首位的为汇总单位");
        assert_eq!(s.trim_end(), "区发改局、区财政局，");
        assert_eq!(note.map(|n| n.1), Some(false));
        assert_eq!(strip_notes("区发改局").1, None);
    }

    #[test]
    fn verb_form() {
        let v = verb_roles("区发改局牵头，区财政局、区统计局配合").unwrap();
        assert_eq!(v[0].0, Label::Lead);
        assert_eq!(v[0].2, "区发改局");
        assert_eq!(
            (v[1].0, v[1].2, v[1].3),
            (Label::Responsible, "区财政局、区统计局", "配合")
        );
        assert!(verb_roles("区财政局、区统计局配合").is_none());
    }
}
