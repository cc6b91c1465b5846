//! 印刷用标点：中文语境中的半角 `, ; : ? ! ( )` 换成全角 `，；：？！（）`。
//!
//! 只在排版（PDF、Word）时转换，任务目录、报送数据和 XLSX 保留原文（理由见 README“标点”）。
//! 不动的：数字之间的（“1,000”“16:05”）、邮箱与网址里的、两边都是西文的（“e.g., abc”）。
//! 转换后紧挨着的空格一并去掉：全角标点自带字面空白，“强链, 壮大”印成“强链，壮大”。

use super::doc::{Block, Document, Span};
use super::text::is_han;

/// 中文语境：汉字、中文标点与全角字符。
fn is_cjk(c: char) -> bool {
    is_han(c)
        || matches!(c as u32, 0x3000..=0x303F | 0xFF01..=0xFF60 | 0xFE30..=0xFE4F)
        || matches!(c, '—' | '…' | '“' | '”' | '‘' | '’' | '·')
}

fn full(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// 邮箱、网址所占的字符（不转换其中的标点）：含“@”或“://”、以“www.”开头的西文串。
fn protected(chars: &[char]) -> Vec<bool> {
    let token = |c: char| c.is_ascii_alphanumeric() || "._%+-@:/?=&#~".contains(c);
    let mut out = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if !token(chars[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && token(chars[j]) {
            j += 1;
        }
        let next = j;
        // 串首尾的标点不算邮箱、网址的一部分（“邮箱:zfducha@163.com,”）。
        let mut a = i;
        while a < j && !chars[a].is_ascii_alphanumeric() {
            a += 1;
        }
        while j > a && !(chars[j - 1].is_ascii_alphanumeric() || chars[j - 1] == '/') {
            j -= 1;
        }
        let s: String = chars[a..j].iter().collect();
        let lower = s.to_ascii_lowercase();
        if s.contains('@') || s.contains("://") || lower.starts_with("www.") {
            out[a..j].fill(true);
        }
        i = next;
    }
    out
}

/// 第 i 个字符左边 / 右边第一个非空格字符。
fn neighbour(chars: &[char], i: usize, left: bool) -> Option<char> {
    if left {
        chars[..i].iter().rev().find(|c| **c != ' ').copied()
    } else {
        chars[i + 1..].iter().find(|c| **c != ' ').copied()
    }
}

/// 括号配对：`pair[i]` 为与第 i 个字符配对的括号位置。
fn pairs(chars: &[char]) -> Vec<Option<usize>> {
    let mut out = vec![None; chars.len()];
    let mut stack = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        match c {
            '(' => stack.push(i),
            ')' => {
                if let Some(o) = stack.pop() {
                    out[o] = Some(i);
                    out[i] = Some(o);
                }
            }
            _ => {}
        }
    }
    out
}

/// 第 i 个半角标点是否在中文语境中。
fn chinese_context(chars: &[char], i: usize, pair: &[Option<usize>]) -> bool {
    let (l, r) = (neighbour(chars, i, true), neighbour(chars, i, false));
    let cjk = |c: Option<char>| c.is_some_and(is_cjk);
    match (chars[i], pair[i]) {
        // 成对的括号：括号里有中文，或括号外紧挨着中文，两个一起换。
        ('(' | ')', Some(j)) => {
            let (o, c) = (i.min(j), i.max(j));
            chars[o + 1..c].iter().any(|&ch| is_cjk(ch))
                || cjk(neighbour(chars, o, true))
                || cjk(neighbour(chars, c, false))
        }
        _ => {
            let digits = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
            // “1,000”“16:05”：数字之间不换。
            !(digits(l) && digits(r)) && (cjk(l) || cjk(r))
        }
    }
}

/// 可能要换成全角的半角标点。
const HALF: [char; 7] = [',', ';', ':', '?', '!', '(', ')'];

/// 把一段文字里中文语境中的半角标点换成全角（见模块说明）。没有要换的时原样返回。
pub fn fullwidth(text: &str) -> String {
    if !text.contains(HALF) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let guard = protected(&chars);
    let pair = pairs(&chars);
    let mut convert = vec![false; chars.len()];
    for i in 0..chars.len() {
        if full(chars[i]).is_some() && !guard[i] {
            convert[i] = chinese_context(&chars, i, &pair);
        }
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            // 紧挨着换成全角的标点的空格去掉（只去同一串空格，不跨别的字）。
            let run = |step: isize| {
                let mut k = i as isize;
                while k >= 0 && (k as usize) < chars.len() && chars[k as usize] == ' ' {
                    k += step;
                }
                k >= 0 && (k as usize) < chars.len() && convert[k as usize]
            };
            if run(-1) || run(1) {
                continue;
            }
        }
        match (convert[i], full(c)) {
            (true, Some(f)) => out.push(f),
            _ => out.push(c),
        }
    }
    out
}

/// 就地换成印刷用标点；没有半角标点的文字（大多数）不重新分配。
fn in_place(text: &mut String) {
    if text.contains(HALF) {
        *text = fullwidth(text);
    }
}

fn spans(v: &mut [Span]) {
    for s in v {
        in_place(&mut s.text);
    }
}

/// 整份文档的印刷用文字：各块、表格单元格、落款里的标点按 [`fullwidth`] 换成全角。
pub fn for_print(doc: &Document) -> Document {
    let mut out = doc.clone();
    for block in out.sections.iter_mut().flat_map(|s| s.blocks.iter_mut()) {
        match block {
            Block::Title(v) => spans(v),
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => spans(content),
            Block::List { items, .. } => {
                for it in items.iter_mut() {
                    spans(it);
                }
            }
            Block::Table(t) => {
                for cell in t
                    .header
                    .iter_mut()
                    .chain(t.rows.iter_mut())
                    .flat_map(|r| r.cells.iter_mut())
                {
                    in_place(&mut cell.text);
                }
            }
            Block::Signature { issuer, date } => {
                in_place(issuer);
                in_place(date);
            }
            Block::PageBreak | Block::Spacer(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fullwidth as f;

    #[test]
    fn chinese_context_becomes_fullwidth() {
        assert_eq!(
            f("抢抓车光产业跨界融合发展示范区创建契机,着力延链补链强链, 壮大以“车、光”为代表的主导产业集群;做强实体经济。(牵头单位:区发改局;责任单位:区科经、商务局)"),
            "抢抓车光产业跨界融合发展示范区创建契机，着力延链补链强链，壮大以“车、光”为代表的主导产业集群；做强实体经济。（牵头单位：区发改局；责任单位：区科经、商务局）"
        );
        assert_eq!(f("是否完成?请于本周报送!"), "是否完成？请于本周报送！");
        assert_eq!(f("PM2.5(细颗粒物)浓度"), "PM2.5（细颗粒物）浓度");
        assert_eq!(f("完成(1)项"), "完成（1）项");
    }

    #[test]
    fn numbers_mail_urls_and_latin_stay() {
        for s in [
            "产值1,000亿元",
            "时间16:05开会",
            "邮箱:zfducha@163.com",
            "见https://www.jiangxia.gov.cn/a?b=1,2",
            "e.g., Wi-Fi (WLAN) is ok: yes!",
            "比例1:1",
        ] {
            let out = f(s);
            for token in [
                "1,000",
                "16:05",
                "zfducha@163.com",
                "https://www.jiangxia.gov.cn/a?b=1,2",
                "e.g., Wi-Fi (WLAN) is ok: yes!",
                "1:1",
            ] {
                if s.contains(token) {
                    assert!(out.contains(token), "{s} → {out}");
                }
            }
        }
        assert_eq!(f("邮箱:zfducha@163.com)"), "邮箱：zfducha@163.com)");
        assert_eq!(
            f("报送区人民政府办公室(邮箱:zfducha@163.com)。"),
            "报送区人民政府办公室（邮箱：zfducha@163.com）。"
        );
        assert_eq!(f("发布日期:2023-02-07 16:05"), "发布日期：2023-02-07 16:05");
    }
}
