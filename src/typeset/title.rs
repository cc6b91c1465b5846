//! 标题断行：只在词与词之间回行，两行时各行尽量等长。
//!
//! 标题自己的结构决定哪里能断：书名号、引号、括号的外侧，片段（`Span`）之间的界线（表单标题按
//! “单位名 | 《政府工作报告》 | 文种”分片段），以及 [`TITLE_WORDS`] 中的词的两端；
//! 这些词的内部（“督办工作人员名单”“第二季度”“街道办事处”……）不断。
//! 其他汉字之间也能断，但要多付 6 个字宽的代价，只有结构处都放不下时才用。

use super::text::{break_lines_ragged, Line, Shaped};

/// 标题里不拆开的词：公文标题中常见的文种、系列词与机构通名。
pub const TITLE_WORDS: &[&str] = &[
    "政府工作报告",
    "督办工作人员名单",
    "工作人员名单",
    "工作目标完成情况",
    "工作目标",
    "完成情况",
    "总体办理方案",
    "办理方案",
    "任务清单",
    "催报通知",
    "责任分解总表",
    "责任分解方案",
    "主要目标任务",
    "目标任务",
    "打印合订本",
    "合订本",
    "督办材料",
    "街道办事处",
    "办事处",
    "管委会",
    "委员会",
    "第一季度",
    "第二季度",
    "第三季度",
    "第四季度",
];

/// 第 i 个字形之前的断点类别。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// 词内，不断。
    Inside,
    /// 普通字间：能断，但有代价。
    Plain,
    /// 结构处：括号外侧、片段界线、词的两端。
    Structural,
}

fn gaps(s: &Shaped) -> Vec<Gap> {
    let chars: Vec<char> = s.glyphs.iter().map(|g| g.ch).collect();
    let n = chars.len();
    let mut gap = vec![Gap::Plain; n + 1];
    for &i in &s.span_starts {
        gap[i.min(n)] = Gap::Structural;
    }
    for i in 1..n {
        if matches!(
            chars[i - 1],
            '》' | '”' | '）' | '〉' | '」' | '』' | '】' | '，' | '、' | '：'
        ) || matches!(chars[i], '《' | '“' | '（' | '〈' | '「' | '『' | '【')
        {
            gap[i] = Gap::Structural;
        }
    }
    // 词：先标两端为结构处，再把词内标为不断（长词优先，短词不能打开长词的内部）。
    let mut inside = vec![false; n + 1];
    for w in TITLE_WORDS {
        let w: Vec<char> = w.chars().collect();
        for at in 0..n.saturating_sub(w.len() - 1) {
            if chars[at..at + w.len()] == w[..] {
                gap[at] = Gap::Structural;
                gap[at + w.len()] = Gap::Structural;
                inside[at + 1..at + w.len()].fill(true);
            }
        }
    }
    for (g, inside) in gap.iter_mut().zip(&inside) {
        if *inside {
            *g = Gap::Inside;
        }
    }
    gap
}

/// 均衡断行（居中的标题）：行数与贪心断行相同，但各行尽量等长，且只在词与词之间回行
/// （结构处都放不下时才退回普通字间）。
pub(crate) fn balanced_lines(s: &Shaped, size: f32, measure: f32) -> Vec<Line> {
    let greedy = break_lines_ragged(s, size, measure, measure);
    if greedy.len() < 2 {
        return greedy;
    }
    let gap = gaps(s);
    let n = greedy.len();
    if n == 2 {
        if let Some(lines) = two_lines(s, size, measure, &gap) {
            return lines;
        }
    }
    // 三行以上：词内不断（仍能排成同样行数时），再在同样行数内把行宽收到最窄。
    let mut words = s.clone();
    for (i, g) in gap.iter().enumerate().take(s.glyphs.len()) {
        if *g == Gap::Inside {
            words.can_break[i] = false;
        }
    }
    let base = if break_lines_ragged(&words, size, measure, measure).len() <= n {
        &words
    } else {
        s
    };
    let (mut lo, mut hi) = (measure / n as f32, measure);
    let mut best = break_lines_ragged(base, size, measure, measure);
    for _ in 0..16 {
        let mid = (lo + hi) / 2.0;
        let lines = break_lines_ragged(base, size, mid, mid);
        if lines.len() <= n {
            best = lines;
            hi = mid;
        } else {
            lo = mid;
        }
    }
    for l in &mut best {
        l.justify = false;
    }
    best
}

/// 两行标题：在两行都放得下的断点里选代价最小的（两行长度差 + 普通字间的 6 字代价），词内不断。
fn two_lines(s: &Shaped, size: f32, measure: f32, gap: &[Gap]) -> Option<Vec<Line>> {
    let n = s.glyphs.len();
    let w = |a: usize, b: usize| -> f32 { s.glyphs[a..b].iter().map(|g| g.adv * size).sum() };
    let mut best: Option<(f32, usize)> = None;
    for (i, &g) in gap.iter().enumerate().take(n).skip(1) {
        if !s.can_break[i] || s.glyphs[i].ch == '\n' || g == Gap::Inside {
            continue;
        }
        let (w1, w2) = (w(0, i), w(i, n));
        if w1 > measure || w2 > measure {
            continue;
        }
        let penalty = if g == Gap::Structural {
            0.0
        } else {
            6.0 * size
        };
        let cost = (w1 - w2).abs() + penalty;
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, i));
        }
    }
    let (_, i) = best?;
    let line = |start, end| Line {
        start,
        end,
        width: w(start, end),
        justify: false,
    };
    Some(vec![line(0, i), line(i, n)])
}

/// 标题断行处是否在 [`TITLE_WORDS`] 中某个词的内部（测试用：`before` 是上一行末尾，`after` 是下一行开头）。
pub fn breaks_inside_word(before: &str, after: &str) -> Option<&'static str> {
    TITLE_WORDS.iter().copied().find(|w| {
        let chars: Vec<char> = w.chars().collect();
        (1..chars.len()).any(|k| {
            let (a, b): (String, String) =
                (chars[..k].iter().collect(), chars[k..].iter().collect());
            before.ends_with(&a) && after.starts_with(&b)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::doc::{Span, Style};
    use crate::typeset::text::shape;
    use crate::typeset::FontSet;

    /// 22 磅标题在竖排版心（左右各空一字）里的两行。
    fn title_lines(spans: &[&str]) -> Vec<String> {
        let fonts = FontSet::shared_builtin();
        let spans: Vec<Span> = spans
            .iter()
            .map(|t| Span::styled(*t, Style::Title))
            .collect();
        let s = shape(fonts, &spans, &mut Vec::new());
        let measure = 156.0 / 25.4 * 72.0 - 32.0;
        balanced_lines(&s, 22.0, measure)
            .iter()
            .map(|l| s.glyphs[l.start..l.end].iter().map(|g| g.ch).collect())
            .collect()
    }

    #[test]
    fn titles_break_between_words() {
        assert_eq!(
            title_lines(&["郑店街道办事处《政府工作报告》督办工作人员名单"]),
            ["郑店街道办事处《政府工作报告》", "督办工作人员名单"]
        );
        assert_eq!(
            title_lines(&["郑店街道办事处第二季度工作目标完成情况"]),
            ["郑店街道办事处第二季度", "工作目标完成情况"]
        );
        // 片段界线（单位名 | 文种）是结构处：单位名不被拆开。
        assert_eq!(
            title_lines(&["区区校合作发展促进中心", "第二季度工作目标完成情况"]),
            ["区区校合作发展促进中心", "第二季度工作目标完成情况"]
        );
        for l in [
            title_lines(&["区人力资源和社会保障局《政府工作报告》督办工作人员名单"]),
            title_lines(&["2023年区〈政府工作报告〉主要目标任务责任分解方案责任分解总表"]),
        ] {
            assert_eq!(l.len(), 2, "{l:?}");
            assert_eq!(breaks_inside_word(&l[0], &l[1]), None, "{l:?}");
        }
    }

    #[test]
    fn word_list_check_finds_inner_breaks() {
        assert_eq!(
            breaks_inside_word("郑店街道办事处《政府工", "作报告》督办"),
            Some("政府工作报告")
        );
        assert_eq!(
            breaks_inside_word("郑店街道办事处第二", "季度工作"),
            Some("第二季度")
        );
        assert_eq!(breaks_inside_word("郑店街道办事处", "第二季度"), None);
    }
}
