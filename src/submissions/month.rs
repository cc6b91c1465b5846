//! “完成时间（按月）”的解析：手写的 TOML 与读回的 XLSX 共用这一个解析器。
//!
//! XLSX 的下拉给的是“5月”，手写的可能是 5、"5"、"2023年5月"、"2023-05"、一个日期，
//! 也可能是全角的“５月”。这里把它们都解析成 1–12 的月份；写的是一段时间（“5-6月”）或
//! 不是月份（“下半年”）的报错，不猜。

/// 解析出的月份（`month` 原样保存，可能不在 1–12 之间，由 [`MonthError::OutOfRange`] 报告）。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub month: i64,
    /// 写了年份时的年份（如“2023年5月”“2023-05-31”）。
    pub year: Option<i32>,
}

/// 完成时间写法有误。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonthError {
    #[error("完成时间“{0}”不在 1–12 月之间")]
    OutOfRange(String, i64),
    #[error("完成时间“{0}”是一段时间，只能填一个月份")]
    Span(String),
    #[error("完成时间“{0}”不是月份")]
    NotMonth(String),
}

impl MonthError {
    /// 给填报单位的提示。
    pub fn hint(&self) -> &'static str {
        match self {
            MonthError::OutOfRange(..) => "按月填写，1 表示 1 月，12 表示 12 月",
            MonthError::Span(_) => {
                "跨月的工作填计划完成的那个月，如“6月”；分阶段的可拆成几行分别填写"
            }
            MonthError::NotMonth(_) => {
                "从下拉列表选 1月–12月，或写“5月”“2023年5月”；“年底”请写“12月”"
            }
        }
    }
}

/// 全角 ASCII（Ａ–Ｚ、０–９、标点）与全角空格转成半角；其余字符不变。
pub fn to_halfwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// 汉字月份数：“一”…“十二”，“元”（元月）。
fn chinese_number(s: &str) -> Option<i64> {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if s == "元" || s == "正" {
        return Some(1);
    }
    if let Some(rest) = s.strip_prefix('十') {
        if rest.is_empty() {
            return Some(10);
        }
        return DIGITS
            .iter()
            .position(|d| !d.is_empty() && *d == rest)
            .map(|n| 10 + n as i64);
    }
    DIGITS
        .iter()
        .position(|d| !d.is_empty() && *d == s)
        .map(|n| n as i64)
}

/// 一到两位数字（或汉字数）→ 整数。
fn small_number(s: &str) -> Option<i64> {
    if !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    chinese_number(s)
}

/// 去掉可有可无的“2023年”前缀，返回（年份, 其余）。
fn strip_year(s: &str) -> (Option<i32>, &str) {
    match s.split_once('年') {
        Some((y, rest)) if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => {
            (y.parse().ok(), rest)
        }
        _ => (None, s),
    }
}

/// “2023-05”“2023/5/31”“2023.05”这类数字日期：（年, 月, 日?）。
fn numeric_date(s: &str) -> Option<(i32, i64, Option<i64>)> {
    let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
    if !(2..=3).contains(&parts.len()) || parts[0].len() != 4 {
        return None;
    }
    if !parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let y = parts[0].parse().ok()?;
    let m = parts[1].parse().ok()?;
    let d = match parts.get(2) {
        Some(d) => Some(d.parse().ok()?),
        None => None,
    };
    Some((y, m, d))
}

/// 校验（年, 月, 日?）并得到月份。
fn from_date(text: &str, y: i32, m: i64, d: Option<i64>) -> Result<Month, MonthError> {
    if !(1..=12).contains(&m) {
        return Err(MonthError::OutOfRange(text.into(), m));
    }
    if let Some(d) = d {
        let ok = u8::try_from(d)
            .ok()
            .and_then(|d| crate::date::Date::new(y, m as u8, d))
            .is_some();
        if !ok {
            return Err(MonthError::NotMonth(text.into()));
        }
    }
    Ok(Month {
        month: m,
        year: Some(y),
    })
}

/// 月份后可以跟的、仍在这个月之内的说法。
const WITHIN_MONTH: [&str; 7] = ["份", "底", "末", "初", "上旬", "中旬", "下旬"];

/// 解析一个完成时间。空白（含全角空格）忽略，全角数字按半角认。
pub fn parse_month(text: &str) -> Result<Month, MonthError> {
    let s: String = to_halfwidth(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let original = text.trim().to_string();
    if let Some((y, m, d)) = numeric_date(&s) {
        return from_date(&original, y, m, d);
    }
    let (year, rest) = strip_year(&s);
    // “2023年5月31日”
    if let Some((m, d)) = rest.strip_suffix('日').and_then(|r| r.split_once('月')) {
        if let (Some(y), Some(m), Ok(d)) = (year, small_number(m), d.parse::<i64>()) {
            return from_date(&original, y, m, Some(d));
        }
    }
    let body = match rest.split_once('月') {
        Some((num, tail)) if tail.is_empty() || WITHIN_MONTH.contains(&tail) => num,
        Some(_) => return Err(span_or_not(&original, rest)),
        None if year.is_none() => rest,
        None => return Err(MonthError::NotMonth(original)),
    };
    match small_number(body) {
        Some(m) if (1..=12).contains(&m) => Ok(Month { month: m, year }),
        Some(m) => Err(MonthError::OutOfRange(original, m)),
        None => Err(span_or_not(&original, body)),
    }
}

/// 写了两个月份（“5-6月”“5月至6月”“5、6月”）算一段时间，其余算不是月份。
fn span_or_not(original: &str, s: &str) -> MonthError {
    let numbers = s
        .split(|c: char| !(c.is_ascii_digit() || chinese_number(&c.to_string()).is_some()))
        .filter(|p| !p.is_empty())
        .count();
    let joined = ['-', '~', '至', '到', '—', '、', ',', '，'];
    if numbers >= 2 && s.contains(joined) {
        MonthError::Span(original.into())
    } else {
        MonthError::NotMonth(original.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Result<i64, MonthError> {
        parse_month(s).map(|m| m.month)
    }

    #[test]
    fn accepts_what_clients_and_people_write() {
        for (s, want) in [
            ("5月", 5),
            ("5", 5),
            ("05", 5),
            (" 12月 ", 12),
            ("５月", 5),
            ("１２", 12),
            ("5月份", 5),
            ("5月底", 5),
            ("6月中旬", 6),
            ("五月", 5),
            ("十一月", 11),
            ("十二月底", 12),
            ("2023年5月", 5),
            ("2023年 5 月", 5),
            ("2023-05", 5),
            ("2023/5/31", 5),
            ("2023.11", 11),
            ("2023年5月31日", 5),
            ("２０２３年５月", 5),
        ] {
            assert_eq!(m(s), Ok(want), "{s}");
        }
        assert_eq!(parse_month("2023-05-31").unwrap().year, Some(2023));
        assert_eq!(parse_month("5月").unwrap().year, None);
    }

    #[test]
    fn refuses_what_is_not_one_month() {
        assert_eq!(m("13月"), Err(MonthError::OutOfRange("13月".into(), 13)));
        assert_eq!(m("0"), Err(MonthError::OutOfRange("0".into(), 0)));
        assert!(matches!(m("2023-13"), Err(MonthError::OutOfRange(_, 13))));
        assert!(matches!(m("2023-02-30"), Err(MonthError::NotMonth(_))));
        for s in ["5-6月", "5月至6月", "5、6月", "3~4"] {
            assert!(matches!(m(s), Err(MonthError::Span(_))), "{s}: {:?}", m(s));
        }
        for s in [
            "下半年",
            "年底",
            "长期",
            "",
            "5号",
            "2023年",
            "123",
            "5月前",
            "十三",
        ] {
            assert!(
                matches!(
                    m(s),
                    Err(MonthError::NotMonth(_)) | Err(MonthError::OutOfRange(..))
                ),
                "{s}: {:?}",
                m(s)
            );
        }
        let e = m("下半年").unwrap_err();
        assert_eq!(e.to_string(), "完成时间“下半年”不是月份");
        assert!(e.hint().contains("12月"));
    }

    #[test]
    fn halfwidth_maps_fullwidth_ascii_only() {
        assert_eq!(
            to_halfwidth("ｔａｓｋ＝２；ｒｏｗ＝１　甲"),
            "task=2;row=1 甲"
        );
        assert_eq!(to_halfwidth("（一）"), "(一)");
    }

    proptest::proptest! {
        /// 任意文字都不会让解析崩溃；1–12 的数字写法总能解析回原值。
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = parse_month(&s);
        }
        #[test]
        fn numbers_round_trip(n in 1i64..=12) {
            proptest::prop_assert_eq!(m(&format!("{n}月")), Ok(n));
            proptest::prop_assert_eq!(m(&n.to_string()), Ok(n));
        }
    }
}
