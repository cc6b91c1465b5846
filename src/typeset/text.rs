//! 文字排版：逐字选字体（回退链）、断行（汉字间可断、标点禁则、西文词与“2023年”不拆）、两端对齐。
//!
//! 参照 W3C《中文排版需求》(clreq)：行首禁用结束类标点，行尾禁用开始类标点，
//! 破折号、省略号不拆开；行内剩余空间平均分配到可断点（汉字之间、空格）。

use super::doc::{Span, Style};
use super::error::MissingChar;
use super::fonts::{FontSet, GETA};
use unicode_linebreak::{break_property, BreakClass};

/// 一个已选好字体的字形。`start` 起、`ch` 的 UTF-8 长度是它在整段文字中的字节范围（写入 ToUnicode）。
/// 大表格在排版时要同时留着每一格的字形，所以字段取够用的最小宽度：每字 16 字节。
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub ch: char,
    pub start: u32,
    pub gid: u16,
    /// 字体下标（`FontSet::faces`，至多 8 款）。
    pub face: u8,
    /// 印成红色（[`Style::Alert`]）。
    pub red: bool,
    /// 前进宽度，单位 em。
    pub adv: f32,
}

impl Glyph {
    /// 在整段文字中的字节范围。
    pub fn range(&self) -> std::ops::Range<usize> {
        let start = self.start as usize;
        start..start + self.ch.len_utf8()
    }
}

/// 一段排好字形的文字。
#[derive(Debug, Clone)]
pub(crate) struct Shaped {
    pub text: String,
    pub glyphs: Vec<Glyph>,
    /// `can_break[i]`：第 i 个字形之前可以换行。
    pub can_break: Vec<bool>,
    /// 各片段（`Span`）第一个字形的下标：标题按片段之间的界线优先断行。
    pub span_starts: Vec<usize>,
}

/// 一行：字形下标范围、自然宽度（磅）、是否两端对齐。
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    pub width: f32,
    pub justify: bool,
}

/// 排版时的字：制表符当空格；不可见的控制符、零宽字符不画（也不算缺字），返回 `None`。
pub(crate) fn printable(ch: char) -> Option<char> {
    match ch {
        '\t' => Some(' '),
        '\r' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
        c if c.is_control() && c != '\n' => None,
        c => Some(c),
    }
}

/// 按样式逐字选字体；所有字体都没有的字记入 `missing`，画成“〓”但 ToUnicode 仍是原字。
pub(crate) fn shape(fonts: &FontSet, spans: &[Span], missing: &mut Vec<MissingChar>) -> Shaped {
    let mut text = String::new();
    let mut glyphs = Vec::new();
    let mut span_starts = Vec::with_capacity(spans.len());
    for span in spans {
        span_starts.push(glyphs.len());
        for ch in span.text.chars().filter_map(printable) {
            let start = text.len() as u32;
            text.push(ch);
            if ch == '\n' {
                glyphs.push(Glyph {
                    ch,
                    start,
                    gid: 0,
                    face: fonts.fallback_face as u8,
                    red: false,
                    adv: 0.0,
                });
                continue;
            }
            let (face, gid, adv) = match fonts.lookup(span.style, ch) {
                Some(g) => {
                    // 用户配置的字体缺这个字：用回退链里的字体画，并报告。
                    if let Some(p) = fonts.configured_primary(span.style) {
                        if g.0 != p {
                            let m = MissingChar {
                                ch,
                                style: span.style,
                                served_by: Some(fonts.faces[g.0].name.clone()),
                            };
                            if !missing.contains(&m) {
                                missing.push(m);
                            }
                        }
                    }
                    g
                }
                None => {
                    let m = MissingChar {
                        ch,
                        style: span.style,
                        served_by: None,
                    };
                    if !missing.contains(&m) {
                        missing.push(m);
                    }
                    let f = fonts.fallback_face;
                    let (g, a) = fonts.faces[f].glyph(GETA).unwrap_or((0, 1.0));
                    (f, g, a)
                }
            };
            glyphs.push(Glyph {
                ch,
                start,
                gid,
                face: face as u8,
                red: span.style == Style::Alert,
                adv,
            });
        }
    }
    let mut can_break = vec![false; glyphs.len() + 1];
    for i in 1..glyphs.len() {
        can_break[i] = break_between(glyphs[i - 1].ch, glyphs[i].ch);
    }
    can_break[glyphs.len()] = true;
    Shaped {
        text,
        glyphs,
        can_break,
        span_starts,
    }
}

/// 汉字（含扩展区、兼容区）。
pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// 全角（中文）字符：汉字、中文标点、全角形式。
fn is_wide(c: char) -> bool {
    is_han(c)
        || matches!(c as u32, 0x2E80..=0x2FFF | 0x3000..=0x33FF | 0xFE30..=0xFE4F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6)
        || matches!(c, '—' | '…' | '“' | '”' | '‘' | '’' | '·')
}

/// 不能出现在行首的字符（结束类标点、分隔号等）。
fn no_line_start(c: char) -> bool {
    if matches!(
        c,
        '”' | '’'
            | '》'
            | '〉'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〗'
            | '）'
            | '%'
            | '‰'
            | '℃'
            | '·'
            | '•'
    ) {
        return true;
    }
    matches!(
        break_property(c as u32),
        BreakClass::ClosePunctuation
            | BreakClass::CloseParenthesis
            | BreakClass::Exclamation
            | BreakClass::NonStarter
            | BreakClass::InfixSeparator
            | BreakClass::ConditionalJapaneseStarter
            | BreakClass::Postfix
    )
}

/// 不能出现在行尾的字符（开始类标点）。
fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '“' | '‘' | '《' | '〈' | '「' | '『' | '【' | '〔' | '〖' | '（' | '￥' | '$'
    ) || break_property(c as u32) == BreakClass::OpenPunctuation
}

/// 两字之间能否换行。
fn break_between(a: char, b: char) -> bool {
    if b == '\n' || a == '\n' {
        return true;
    }
    // 禁则优先于空格：“四 ：”里空格后也不能让冒号落到行首。
    if no_line_start(b) || no_line_end(a) || b == ' ' {
        return false;
    }
    if a == ' ' {
        return true;
    }
    // 破折号“——”、省略号“……”不拆开。
    if a == b && matches!(a, '—' | '…' | '─') {
        return false;
    }
    let (wa, wb) = (is_wide(a), is_wide(b));
    if !wa && !wb {
        // 西文词、数字（PM2.5、6.5%）整体不拆；邮箱、网址只在“@”“/”之后可断。
        return matches!(a, '@' | '/') && b.is_ascii_alphanumeric();
    }
    // 数字、字母后紧跟的汉字（“2023年”“5个”）不拆开。
    if !wa && a.is_ascii_alphanumeric() && is_han(b) {
        return false;
    }
    true
}

/// 贪心断行。`first` 是首行可用宽度，`rest` 是其余行；`size` 字号（磅）。
/// 汉字之间允许每处最多压缩 size/50，这样 16 磅字在 156 mm 版心内正好排 28 字（GB/T 9704）。
pub(crate) fn break_lines(s: &Shaped, size: f32, first: f32, rest: f32) -> Vec<Line> {
    break_lines_with(s, size, first, rest, true)
}

/// 不两端对齐（居左、居中、居右）时的断行：不允许压缩字距，行宽不超过可用宽度。
pub(crate) fn break_lines_ragged(s: &Shaped, size: f32, first: f32, rest: f32) -> Vec<Line> {
    break_lines_with(s, size, first, rest, false)
}

fn break_lines_with(s: &Shaped, size: f32, first: f32, rest: f32, squeeze: bool) -> Vec<Line> {
    let n = s.glyphs.len();
    let adv = |i: usize| s.glyphs[i].adv * size;
    let shrink = if squeeze { size / 50.0 } else { 0.0 };
    let mut lines = Vec::new();
    let mut start = 0;
    while start < n {
        let measure = if lines.is_empty() { first } else { rest };
        // 跳过行首空格
        while start < n && s.glyphs[start].ch == ' ' {
            start += 1;
        }
        if start >= n {
            break;
        }
        let mut i = start;
        let mut width = 0.0;
        let mut gaps = 0usize;
        let mut last_ok: Option<(usize, f32)> = None; // 最近一个可断点（不含）及该处宽度
        let mut hard = false;
        while i < n {
            if s.glyphs[i].ch == '\n' {
                hard = true;
                break;
            }
            if i > start && s.can_break[i] {
                last_ok = Some((i, width));
                gaps += 1;
            }
            let w = width + adv(i);
            if w > measure + shrink * gaps as f32 + 0.01 && i > start {
                break;
            }
            width = w;
            i += 1;
        }
        let end = if i >= n || hard {
            i
        } else if let Some((b, _)) = last_ok {
            b
        } else {
            i // 整段放不下：在字符处强行断开
        };
        let mut e = end;
        while e > start && s.glyphs[e - 1].ch == ' ' {
            e -= 1;
        }
        let w: f32 = (start..e).map(adv).sum();
        let last = end >= n || hard;
        lines.push(Line {
            start,
            end: e,
            width: w,
            justify: !last,
        });
        start = if hard { end + 1 } else { end };
    }
    if lines.is_empty() {
        lines.push(Line {
            start: 0,
            end: 0,
            width: 0.0,
            justify: false,
        });
    }
    lines
}

/// 两端对齐时每个字间最多加宽多少（em）。再宽就成了“材 料 按 要 求”式的字字拉开：
/// 这样的行（多是后面跟着放不下的邮箱、网址或长西文词）改为左齐，行尾留空。
pub(crate) const MAX_JUSTIFY_EM: f32 = 0.12;

/// 一行的字间调整：两端对齐的行撑满（加宽超过 [`MAX_JUSTIFY_EM`] 时不撑，行尾留空）；
/// 其余对齐方式下，断行时用了字距压缩余量而略超宽的行压回可用宽度。
pub(crate) fn line_extra(
    s: &Shaped,
    line: &Line,
    measure: f32,
    justify: bool,
    size: f32,
) -> Vec<f32> {
    if justify && line.justify {
        let extra = justify_extra(s, line, measure);
        if extra.iter().all(|e| *e <= MAX_JUSTIFY_EM * size + 0.01) {
            return extra;
        }
    }
    if line.width > measure + 0.01 {
        let squeezed = Line {
            justify: true,
            ..line.clone()
        };
        return justify_extra(s, &squeezed, measure);
    }
    vec![0.0; line.end.saturating_sub(line.start)]
}

/// 两端对齐时每个字形后面要加的间距（磅）：剩余宽度平均分到行内可断点。
pub(crate) fn justify_extra(s: &Shaped, line: &Line, measure: f32) -> Vec<f32> {
    let mut extra = vec![0.0; line.end.saturating_sub(line.start)];
    if !line.justify || line.end <= line.start + 1 {
        return extra;
    }
    let gaps: Vec<usize> = (line.start + 1..line.end)
        .filter(|&i| s.can_break[i] || s.glyphs[i - 1].ch == ' ')
        .collect();
    if gaps.is_empty() {
        return extra;
    }
    let per = (measure - line.width) / gaps.len() as f32;
    for g in gaps {
        extra[g - 1 - line.start] = per;
    }
    extra
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::FontSet;

    fn lines_of(text: &str, chars: f32) -> Vec<String> {
        let fonts = FontSet::shared_builtin();
        let mut missing = Vec::new();
        let s = shape(fonts, &[Span::body(text)], &mut missing);
        let w = chars * 16.0;
        break_lines(&s, 16.0, w, w)
            .iter()
            .map(|l| s.glyphs[l.start..l.end].iter().map(|g| g.ch).collect())
            .collect()
    }

    #[test]
    fn text_width_equals_the_sum_over_shaped_glyphs() {
        use crate::typeset::layout::text_width;
        let fonts = FontSet::shared_builtin();
        // 汉字、西文、全角标点、制表符、换行、零宽与控制字符、所有字体都缺的字（按“〓”量）。
        for text in [
            "",
            "区发改局",
            "GDP 增长 6.5%",
            "甲\t乙\n丙",
            "a\u{200B}b\u{7}c",
            "\u{20000}字",
        ] {
            let s = shape(fonts, &[Span::body(text)], &mut Vec::new());
            let sum: f32 = s.glyphs.iter().map(|g| g.adv * 14.0).sum();
            assert_eq!(
                text_width(fonts, text, 14.0).to_bits(),
                sum.to_bits(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn glyph_stays_compact() {
        // 大表格排版时每格的字形同时在内存里：字段加宽一点，30 倍规模的峰值内存就多几 MB。
        assert_eq!(std::mem::size_of::<Glyph>(), 16);
    }

    #[test]
    fn alert_spans_are_red_in_the_body_face() {
        let fonts = FontSet::shared_builtin();
        let mut missing = Vec::new();
        let spans = [Span::body("甲"), Span::styled("未报送", Style::Alert)];
        let s = shape(fonts, &spans, &mut missing);
        let red: Vec<bool> = s.glyphs.iter().map(|g| g.red).collect();
        assert_eq!(red, [false, true, true, true]);
        // 红字仍用正文字体：只换颜色，不换字形。
        assert!(s.glyphs.iter().all(|g| g.face == s.glyphs[0].face));
    }

    #[test]
    fn closing_punct_never_starts_a_line() {
        // 第 5 个字是逗号：不能落到行首，“推”随逗号一起下移。
        let l = lines_of("一二三四，五六七八。九十", 4.0);
        assert_eq!(l, vec!["一二三", "四，五六", "七八。九", "十"]);
        for line in &l {
            assert!(!line.starts_with(['，', '。']), "{l:?}");
        }
    }

    #[test]
    fn opening_punct_never_ends_a_line() {
        let l = lines_of("一二三《四五》六七", 4.0);
        for line in &l {
            assert!(!line.ends_with('《'), "{l:?}");
        }
        assert_eq!(l.concat(), "一二三《四五》六七");
    }

    #[test]
    fn numbers_and_latin_words_stay_whole() {
        let l = lines_of("今年空气中PM2.5浓度下降2023年完成", 5.0);
        assert!(l.iter().any(|x| x.contains("PM2.5")), "{l:?}");
        assert!(l.iter().any(|x| x.contains("2023年")), "{l:?}");
    }

    #[test]
    fn twenty_eight_chars_fit_the_gbt9704_measure() {
        let text = "一".repeat(56);
        let fonts = FontSet::shared_builtin();
        let s = shape(fonts, &[Span::body(&text)], &mut Vec::new());
        let measure = 156.0 / 25.4 * 72.0;
        let lines = break_lines(&s, 16.0, measure, measure);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].end - lines[0].start, 28);
        let extra: f32 = justify_extra(&s, &lines[0], measure).iter().sum();
        assert!((lines[0].width + extra - measure).abs() < 0.01);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// 任意中西文混排：断行不丢字、不越界，行首不是结束类标点（强行断开的超长片段除外）。
        #[test]
        fn breaking_keeps_every_char_and_kinsoku(
            text in "[一二三四五六七八九十政府工作报告，。、；：？！“”《》（）PM2.5 abc0-9%]{0,80}",
            chars in 3u32..30,
        ) {
            let fonts = fonts();
            let s = shape(fonts, &[Span::body(&text)], &mut Vec::new());
            let measure = chars as f32 * 16.0;
            let lines = break_lines(&s, 16.0, measure, measure);
            let joined: String = lines
                .iter()
                .map(|l| s.glyphs[l.start..l.end].iter().map(|g| g.ch).collect::<String>())
                .collect();
            let strip = |t: &str| t.chars().filter(|c| *c != ' ').collect::<String>();
            proptest::prop_assert_eq!(strip(&joined), strip(&text));
            for (k, l) in lines.iter().enumerate() {
                let forced = k > 0 && !s.can_break[l.start];
                if forced {
                    // 只有整行没有任何可断点时才允许在禁则处硬断。
                    let prev = &lines[k - 1];
                    let any = (prev.start + 1..l.start).any(|j| s.can_break[j]);
                    proptest::prop_assert!(!any, "第{}行不该硬断：{:?}", k, lines);
                }
                proptest::prop_assert!(
                    l.width <= measure + 16.0 / 50.0 * (l.end - l.start) as f32 + 0.01
                        || l.end - l.start == 1
                        || forced,
                    "第{}行超宽 {:?}", k, l
                );
                if k > 0 && !forced {
                    let first = s.glyphs[l.start].ch;
                    proptest::prop_assert!(!no_line_start(first), "行首“{}”", first);
                }
            }
        }
    }

    fn fonts() -> &'static FontSet {
        FontSet::shared_builtin()
    }

    #[test]
    fn invisible_chars_are_not_drawn_or_reported() {
        let mut missing = Vec::new();
        let s = shape(
            fonts(),
            &[Span::body("甲\u{200B}乙\r\u{FEFF}丙\u{7}")],
            &mut missing,
        );
        assert!(missing.is_empty(), "{missing:?}");
        assert_eq!(s.glyphs.iter().map(|g| g.ch).collect::<String>(), "甲乙丙");
    }

    #[test]
    fn missing_char_is_reported() {
        let fonts = FontSet::shared_builtin();
        let mut missing = Vec::new();
        // U+2A6D6 是扩展 B 区的字，不在内置子集里。
        let s = shape(fonts, &[Span::body("甲\u{2A6D6}乙")], &mut missing);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].ch, '\u{2A6D6}');
        assert_eq!(s.glyphs.len(), 3);
        assert_ne!(s.glyphs[1].gid, 0, "缺字不能画成 .notdef 空框");
    }

    #[test]
    fn configured_file_serves_role_and_gaps_are_reported() {
        use crate::typeset::doc::Style;
        use crate::typeset::fonts::FontsConfig;
        use std::path::Path;
        // 用内置楷体文件冒充“用户配置的正文字体”：能选中、报告来源，缺的字回退并报告。
        let mut cfg = FontsConfig::default();
        cfg.body.file = Some("kai.ttf".into());
        let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/assets/fonts");
        let (fonts, report) = FontSet::load(&cfg, &base).unwrap();
        assert!(report.lines[1].contains("kai.ttf"), "{:?}", report.lines);
        assert!(fonts.role_face_name(Style::Body).contains("kai.ttf"));
        let (face, _, _) = fonts.lookup(Style::Body, '督').unwrap();
        assert_eq!(face, fonts.configured_primary(Style::Body).unwrap());
        // 找一个楷体子集没有、而正文内置字体有的字。
        let gap = (0x2000u32..0x2700)
            .filter_map(char::from_u32)
            .find(|&c| fonts.faces[3].glyph(c).is_none() && fonts.faces[1].glyph(c).is_some())
            .expect("楷体和宋体字符集应有差异");
        let mut missing = Vec::new();
        shape(&fonts, &[Span::body(format!("督{gap}"))], &mut missing);
        assert_eq!(missing.len(), 1, "{missing:?}");
        assert_eq!(missing[0].ch, gap);
        assert!(missing[0]
            .served_by
            .as_deref()
            .unwrap()
            .contains("Noto Serif"));
    }

    #[test]
    fn lines_that_would_be_letter_spaced_stay_ragged() {
        let fonts = FontSet::shared_builtin();
        let s = shape(fonts, &[Span::body("材料按要求送达")], &mut Vec::new());
        let line = Line {
            start: 0,
            end: s.glyphs.len(),
            width: 7.0 * 16.0,
            justify: true,
        };
        // 7 个字撑满 9 个字宽：每个字间要加 1/3 个字，超过上限，改左齐不加宽。
        assert!(line_extra(&s, &line, 9.0 * 16.0, true, 16.0)
            .iter()
            .all(|e| *e == 0.0));
        // 差一点点（每个字间 0.05 个字）照常两端对齐。
        let extra = line_extra(&s, &line, 7.3 * 16.0, true, 16.0);
        assert!((extra.iter().sum::<f32>() - 0.3 * 16.0).abs() < 0.01);
    }
}
