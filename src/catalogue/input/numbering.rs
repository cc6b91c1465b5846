//! Word 自动编号：段落的 `numPr`（或段落样式里的 `numPr`）指向 numbering.xml 中的
//! `num` → `abstractNum` 的某一级，编号文字（“1.”“（一）”“一、”）由 Word 按级别计数生成，
//! 不在正文里。这里照 Word 的规则重算：同一 `abstractNum` 的各 `num` 共用计数，
//! `startOverride` 在该 `num` 第一次用到时重新起算，上级编号加一时下级从头算（`lvlRestart` 可改）。

use super::xml::Node;
use std::collections::{HashMap, HashSet};

/// 编号的一级。
#[derive(Debug, Clone)]
struct Level {
    start: u32,
    fmt: String,
    text: String,
    /// `lvlRestart`：0 为从不重新计数；`Some(k)` 为第 k 级（从 1 起）以上加一时重新计数。
    restart: Option<u32>,
    /// `isLgl`：引用的各级一律用阿拉伯数字。
    legal: bool,
    /// 与该级关联的段落样式。
    style: Option<String>,
}

fn level(n: &Node) -> Level {
    Level {
        start: n.val(&["start"]).and_then(|v| v.parse().ok()).unwrap_or(1),
        fmt: n.val(&["numFmt"]).unwrap_or("decimal").to_string(),
        text: n.val(&["lvlText"]).unwrap_or("").to_string(),
        restart: n.val(&["lvlRestart"]).and_then(|v| v.parse().ok()),
        legal: n.child("isLgl").is_some_and(|x| x.attr("val") != Some("0")),
        style: n.val(&["pStyle"]).map(str::to_string),
    }
}

/// `num` 实例：所用的 `abstractNum` 与各级的覆盖。
#[derive(Debug, Default)]
struct Num {
    abstract_id: String,
    /// (级别, 起始值覆盖, 整级覆盖)
    overrides: Vec<(usize, Option<u32>, Option<Level>)>,
}

/// 段落样式里的编号与 `basedOn`。
#[derive(Debug, Default)]
struct Style {
    num_id: Option<String>,
    ilvl: Option<usize>,
    based_on: Option<String>,
}

/// 编号定义与计数状态。
#[derive(Debug, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    nums: HashMap<String, Num>,
    styles: HashMap<String, Style>,
    counters: HashMap<String, [Option<u32>; 9]>,
    started: HashSet<String>,
}

impl Numbering {
    /// 由 numbering.xml 与 styles.xml（都可能没有）建立。
    pub(super) fn new(numbering: Option<&Node>, styles: Option<&Node>) -> Self {
        let mut me = Numbering::default();
        if let Some(root) = numbering {
            for a in root.nodes().filter(|n| n.name == "abstractNum") {
                let mut levels: Vec<Level> = Vec::new();
                for l in a.nodes().filter(|n| n.name == "lvl") {
                    let i: usize = l.attr("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                    if i < 9 {
                        levels.resize(levels.len().max(i + 1), level(&Node::default()));
                        levels[i] = level(l);
                    }
                }
                me.abstracts
                    .insert(a.attr("abstractNumId").unwrap_or("").to_string(), levels);
            }
            for n in root.nodes().filter(|n| n.name == "num") {
                let overrides = n
                    .nodes()
                    .filter(|o| o.name == "lvlOverride")
                    .map(|o| {
                        let i = o.attr("ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                        let start = o.val(&["startOverride"]).and_then(|v| v.parse().ok());
                        (i, start, o.child("lvl").map(level))
                    })
                    .collect();
                let num = Num {
                    abstract_id: n.val(&["abstractNumId"]).unwrap_or("").to_string(),
                    overrides,
                };
                me.nums
                    .insert(n.attr("numId").unwrap_or("").to_string(), num);
            }
        }
        if let Some(root) = styles {
            for s in root.nodes().filter(|n| n.name == "style") {
                let num = s.path(&["pPr", "numPr"]);
                let st = Style {
                    num_id: num.and_then(|n| n.val(&["numId"])).map(str::to_string),
                    ilvl: num
                        .and_then(|n| n.val(&["ilvl"]))
                        .and_then(|v| v.parse().ok()),
                    based_on: s.val(&["basedOn"]).map(str::to_string),
                };
                me.styles
                    .insert(s.attr("styleId").unwrap_or("").to_string(), st);
            }
        }
        me
    }

    /// 段落用的 (numId, 级别)：段落自己的 `numPr` 优先，其次段落样式（沿 `basedOn` 往上找）。
    fn resolve(&self, p: &Node) -> Option<(String, usize)> {
        let ppr = p.child("pPr");
        let own = ppr.and_then(|x| x.child("numPr"));
        let own_id = own.and_then(|n| n.val(&["numId"]));
        let own_lvl: Option<usize> = own
            .and_then(|n| n.val(&["ilvl"]))
            .and_then(|v| v.parse().ok());
        let style_id = ppr.and_then(|x| x.val(&["pStyle"]));
        let (mut sid, mut slvl) = (None, None);
        let mut cur = style_id.map(str::to_string);
        for _ in 0..12 {
            let Some(st) = cur.as_ref().and_then(|c| self.styles.get(c)) else {
                break;
            };
            if st.num_id.is_some() {
                sid = st.num_id.clone();
                slvl = st.ilvl;
                break;
            }
            cur = st.based_on.clone();
        }
        let id = own_id.map(str::to_string).or(sid)?;
        if id == "0" {
            return None;
        }
        let lvl = own_lvl.or(slvl).or_else(|| {
            // 样式只给了 numId：找 abstractNum 里与这个样式关联的那一级。
            let abs = self.abstracts.get(&self.nums.get(&id)?.abstract_id)?;
            abs.iter().position(|l| l.style.as_deref() == style_id)
        });
        Some((id, lvl.unwrap_or(0).min(8)))
    }

    fn level_def(&self, num: &Num, i: usize) -> Option<Level> {
        let over = num
            .overrides
            .iter()
            .find(|o| o.0 == i)
            .and_then(|o| o.2.clone());
        over.or_else(|| self.abstracts.get(&num.abstract_id)?.get(i).cloned())
    }

    /// 这一段的编号文字（没有编号时为空），并推进计数。
    pub(super) fn label(&mut self, p: &Node) -> String {
        let Some((id, lvl)) = self.resolve(p) else {
            return String::new();
        };
        let Some(num) = self.nums.get(&id) else {
            return String::new();
        };
        let levels: Vec<Option<Level>> = (0..9).map(|i| self.level_def(num, i)).collect();
        let Some(this) = levels[lvl].clone() else {
            return String::new();
        };
        let abs = num.abstract_id.clone();
        let first_use = self.started.insert(id.clone());
        let starts: Vec<(usize, u32)> = num
            .overrides
            .iter()
            .filter_map(|o| o.1.map(|s| (o.0, s)))
            .collect();
        let counters = self.counters.entry(abs).or_insert([None; 9]);
        if first_use {
            for (i, s) in starts {
                if i < 9 {
                    counters[i] = Some(s.saturating_sub(1));
                }
            }
        }
        counters[lvl] = Some(counters[lvl].map_or(this.start, |c| c + 1));
        for (m, l) in levels.iter().enumerate().skip(lvl + 1) {
            let restart = l.as_ref().and_then(|l| l.restart);
            if restart.is_none_or(|r| r != 0 && (lvl as u32) < r) {
                counters[m] = None;
            }
        }
        if this.fmt == "bullet" || this.fmt == "none" {
            return String::new();
        }
        let mut out = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10));
            match (c, digit) {
                ('%', Some(k @ 1..=9)) => {
                    chars.next();
                    let i = k as usize - 1;
                    let def = levels[i].as_ref();
                    let value = counters[i].or(def.map(|d| d.start)).unwrap_or(1);
                    let fmt = if this.legal {
                        "decimal"
                    } else {
                        def.map_or("decimal", |d| d.fmt.as_str())
                    };
                    out.push_str(&format_number(value, fmt));
                }
                _ => out.push(c),
            }
        }
        out
    }
}

const CN: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const CN_LEGAL: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];

/// 汉字计数：1→一，10→十，12→十二，20→二十，105→一百零五。
fn chinese(n: u32, digits: &[&str; 10], units: [&str; 4]) -> String {
    if n == 0 {
        return digits[0].to_string();
    }
    if n >= 10000 {
        return n.to_string();
    }
    let ds = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero = false;
    for (i, d) in ds.iter().enumerate() {
        if *d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push_str(digits[0]);
            zero = false;
        }
        // 十几不读“一十”。
        if !(i == 2 && *d == 1 && out.is_empty()) {
            out.push_str(digits[*d as usize]);
        }
        out.push_str(units[i]);
    }
    out
}

fn letters(n: u32, base: char) -> String {
    // Word 的字母编号：A…Z、AA…ZZ、AAA…
    let n = n.max(1) - 1;
    let c = char::from_u32(base as u32 + n % 26).unwrap_or(base);
    std::iter::repeat_n(c, (n / 26) as usize + 1).collect()
}

fn roman(mut n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in table {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

/// 按 `numFmt` 写出编号。
pub(super) fn format_number(n: u32, fmt: &str) -> String {
    let units = ["千", "百", "十", ""];
    let enclosed = |first: u32, max: u32| {
        if (1..=max).contains(&n) {
            char::from_u32(first + n - 1)
                .map(String::from)
                .unwrap_or_else(|| n.to_string())
        } else {
            n.to_string()
        }
    };
    match fmt {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographDigital" => chinese(n, &CN, units),
        "chineseLegalSimplified" => chinese(n, &CN_LEGAL, ["仟", "佰", "拾", ""]),
        "ideographTraditional" => {
            let g = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"];
            g[((n.max(1) - 1) % 10) as usize].to_string()
        }
        "decimalZero" if n < 10 => format!("0{n}"),
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(0x2460, 20),
        "decimalEnclosedParen" => enclosed(0x2474, 20),
        "decimalEnclosedFullstop" => enclosed(0x2488, 20),
        "upperLetter" => letters(n, 'A'),
        "lowerLetter" => letters(n, 'a'),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats() {
        let f = |n, fmt| format_number(n, fmt);
        assert_eq!(f(1, "chineseCounting"), "一");
        assert_eq!(f(10, "chineseCounting"), "十");
        assert_eq!(f(12, "chineseCounting"), "十二");
        assert_eq!(f(20, "chineseCountingThousand"), "二十");
        assert_eq!(f(105, "chineseCounting"), "一百零五");
        assert_eq!(f(110, "chineseCounting"), "一百一十");
        assert_eq!(f(3, "ideographTraditional"), "丙");
        assert_eq!(f(2, "decimalEnclosedCircleChinese"), "②");
        assert_eq!(f(12, "decimalFullWidth"), "１２");
        assert_eq!(f(28, "upperLetter"), "BB");
        assert_eq!(f(14, "lowerRoman"), "xiv");
        assert_eq!(f(7, "decimal"), "7");
    }
}
