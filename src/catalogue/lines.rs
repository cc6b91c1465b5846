//! 逐行识别：部分、章、任务编号、页面元素、附表、标题。都是不依赖上下文的纯函数。

pub(super) const CN_DIGITS: &str = "零一二三四五六七八九";

/// 一…九十九。
pub(super) fn chinese_number(s: &str) -> Option<u32> {
    let d = |c: char| CN_DIGITS.chars().position(|x| x == c).map(|v| v as u32);
    let cs: Vec<char> = s.chars().collect();
    match cs.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => d(*a),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}

pub(super) fn is_cn_numeral(c: char) -> bool {
    CN_DIGITS.contains(c) || c == '十'
}

/// “二、重点工作” → ("二", 标题)。
pub(super) fn part_heading(t: &str) -> Option<(&str, &str)> {
    let end = t.find(|c: char| !is_cn_numeral(c))?;
    (end > 0 && t[end..].starts_with('、')).then(|| (&t[..end], t[end + '、'.len_utf8()..].trim()))
}

/// “（一）标题” → ("一", 标题)。
pub(super) fn cn_paren(t: &str) -> Option<(&str, &str, u32)> {
    let first = t.chars().next().filter(|c| *c == '(' || *c == '（')?;
    let rest = &t[first.len_utf8()..];
    let end = rest.find(|c: char| !is_cn_numeral(c))?;
    let close = rest[end..]
        .chars()
        .next()
        .filter(|c| *c == ')' || *c == '）')?;
    let n = chinese_number(&rest[..end])?;
    Some((&rest[..end], rest[end + close.len_utf8()..].trim_start(), n))
}

/// 任务编号最多几位：六位（到 999999 项）足够任何通知，又不会把“20230207.”这类日期当编号。
const MAX_DIGITS: usize = 6;

/// 任务编号：“1.”“1．”“1、”“（1）”“(1)”。返回 (编号, 编号后正文的字节偏移)。
pub(super) fn task_number(t: &str) -> Option<(u32, usize)> {
    if let Some(first) = t.chars().next().filter(|c| *c == '(' || *c == '（') {
        let rest = &t[first.len_utf8()..];
        let end = rest.find(|c: char| !c.is_ascii_digit())?;
        let close = rest[end..]
            .chars()
            .next()
            .filter(|c| *c == ')' || *c == '）')?;
        if end == 0 || end > MAX_DIGITS {
            return None;
        }
        return Some((
            rest[..end].parse().ok()?,
            first.len_utf8() + end + close.len_utf8(),
        ));
    }
    let end = t.find(|c: char| !c.is_ascii_digit())?;
    if end == 0 || end > MAX_DIGITS {
        return None;
    }
    let mark = t[end..].chars().next()?;
    if !matches!(mark, '.' | '．' | '、') {
        return None;
    }
    Some((t[..end].parse().ok()?, end + mark.len_utf8()))
}

/// 页码、“发布日期”等粘进正文的页面元素。
pub(super) fn furniture(t: &str) -> bool {
    let core =
        t.trim_matches(|c: char| matches!(c, '—' | '-' | '–' | '－' | '―') || c.is_whitespace());
    if !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some(r) = t.strip_prefix('第') {
        let r = r.trim_start();
        let d = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        if d > 0 && r[d..].trim_start().starts_with('页') {
            return true;
        }
    }
    [
        "发布日期",
        "发布时间",
        "文章来源",
        "来源：",
        "来源:",
        "打印本页",
        "关闭窗口",
        "【打印】",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// 附表、附件开始处：任务目录到此为止。
pub(super) fn annex(t: &str) -> bool {
    ["附表", "附件"].iter().any(|p| {
        t.strip_prefix(p).is_some_and(|r| {
            r.is_empty()
                || r.starts_with(|c: char| {
                    c.is_ascii_digit()
                        || c.is_whitespace()
                        || is_cn_numeral(c)
                        || c == ':'
                        || c == '：'
                })
        })
    })
}

/// 标题：以“方案”“清单”“分工”结尾的短行，向上并入被折断的前一两行。返回 (标题, 标题末行下标)。
pub(super) fn find_title(lines: &[&str]) -> Option<(String, usize)> {
    let no_punct = |t: &str| !t.contains(['。', ',', '，', ';', '；', ':', '：']);
    let idx = lines.iter().position(|l| {
        let t = l.trim();
        (t.ends_with("方案") || t.ends_with("分工") || t.ends_with("任务清单"))
            && no_punct(t)
            && t.chars().count() <= 40
            && part_heading(t).is_none()
            && task_number(t).is_none()
            && cn_paren(t).is_none()
            && !t.starts_with(['—', '-'])
    })?;
    // 标题在第一项任务之前；之后出现的“……方案”是正文。
    if lines[..idx].iter().any(|l| task_number(l.trim()).is_some()) {
        return None;
    }
    let mut start = idx;
    while start > 0 && idx - start < 2 {
        let p = lines[start - 1].trim();
        let signature = ["办公室", "政府", "委员会", "通知", "办公厅"]
            .iter()
            .any(|s| p.ends_with(s));
        if p.is_empty()
            || !no_punct(p)
            || p.chars().count() > 30
            || signature
            || part_heading(p).is_some()
            || task_number(p).is_some()
        {
            break;
        }
        start -= 1;
    }
    let title: String = lines[start..=idx].iter().map(|l| l.trim()).collect();
    Some((title, idx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(task_number("12.抢抓"), Some((12, 3)));
        assert_eq!(task_number("3.6平方公里"), Some((3, 2)));
        assert_eq!(task_number("（2）加快"), Some((2, "（2）".len())));
        assert_eq!(task_number("1、加快"), Some((1, "1、".len())));
        assert_eq!(task_number("12345.甲"), Some((12345, 6)));
        assert_eq!(task_number("20230207.甲"), None);
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(
            part_heading("二、重点工作(共135项)"),
            Some(("二", "重点工作(共135项)"))
        );
        assert!(furniture("— 3 —"));
        assert!(furniture("-12-"));
        assert!(furniture("第 3 页"));
        assert!(!furniture("3.加快"));
        assert!(annex("附表1"));
        let doc = [
            "某某通知",
            "2023年重点工作",
            "任务分工方案",
            "1.制定实施方案",
        ];
        assert_eq!(
            find_title(&doc),
            Some(("2023年重点工作任务分工方案".into(), 2))
        );
        assert_eq!(find_title(&["1.甲。", "2.制定实施方案"]), None);
        assert!(!annex("附表说明的任务"));
    }
}
