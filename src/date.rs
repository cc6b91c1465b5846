//! 日期与季度：解析 "YYYY-MM-DD"、"2023Q2"，格式化为“2023年2月15日”，
//! 以及“今天”的确定（命令行 `--today` > `SOURCE_DATE_EPOCH` > `duban.toml` 的 `project.today`）。
//!
//! 库内从不读取系统时钟：调用方把这三个来源的值作为参数传入。

use serde::Serialize;
use std::fmt;

/// 公历日期。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

/// 日期或季度解析错误。
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("日期“{0}”格式不对，应写成 2023-02-15 这样的 年-月-日")]
    Format(String),
    #[error("日期“{0}”不存在")]
    Invalid(String),
    #[error("季度“{0}”格式不对，应写成 2023Q2 这样的 年Q季度（1–4）")]
    Quarter(String),
    #[error("SOURCE_DATE_EPOCH 的值“{0}”不是非负整数秒数")]
    Epoch(String),
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// 某年某月的天数。
pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// 构造并校验。
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            Some(Date { year, month, day })
        } else {
            None
        }
    }

    /// 解析 "YYYY-MM-DD"（月、日可不补零）。
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let t = s.trim();
        let parts: Vec<&str> = t.split('-').collect();
        if parts.len() != 3 || parts[0].len() != 4 {
            return Err(DateError::Format(s.into()));
        }
        let y: i32 = parts[0].parse().map_err(|_| DateError::Format(s.into()))?;
        let m: u8 = parts[1].parse().map_err(|_| DateError::Format(s.into()))?;
        let d: u8 = parts[2].parse().map_err(|_| DateError::Format(s.into()))?;
        Date::new(y, m, d).ok_or_else(|| DateError::Invalid(s.into()))
    }

    /// 由 Unix 时间戳（秒，UTC）得到日期（Howard Hinnant 的 civil_from_days 算法）。
    pub fn from_unix_seconds(secs: u64) -> Date {
        let z = (secs / 86_400) as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = (yoe + era * 400) as i32 + i32::from(m <= 2);
        Date {
            year: y,
            month: m,
            day: d,
        }
    }

    /// 自 1970-01-01 起的天数。
    pub fn days_since_epoch(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// 加减天数。
    pub fn add_days(&self, days: i64) -> Date {
        Date::from_unix_seconds(((self.days_since_epoch() + days).max(0) as u64) * 86_400)
    }

    /// 公文写法：“2023年2月15日”。
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// 所在季度。
    pub fn quarter(&self) -> Quarter {
        Quarter {
            year: self.year,
            q: (self.month - 1) / 3 + 1,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// 季度，如 2023 年第 2 季度（"2023Q2"）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Quarter {
    pub year: i32,
    /// 1–4。
    pub q: u8,
}

impl Quarter {
    /// 解析 "2023Q2"（也接受小写 q）。
    pub fn parse(s: &str) -> Result<Quarter, DateError> {
        let t = s.trim();
        let (y, q) = t
            .split_once(['Q', 'q'])
            .ok_or_else(|| DateError::Quarter(s.into()))?;
        let year: i32 = y.parse().map_err(|_| DateError::Quarter(s.into()))?;
        let q: u8 = q.parse().map_err(|_| DateError::Quarter(s.into()))?;
        if y.len() != 4 || !(1..=4).contains(&q) {
            return Err(DateError::Quarter(s.into()));
        }
        Ok(Quarter { year, q })
    }

    /// 下一季度。
    pub fn next(&self) -> Quarter {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    /// 上一季度。
    pub fn prev(&self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// 本季度完成情况的报送截止日：下一季度第 1 个月的 `day` 日（通知第三条）。
    pub fn due(&self, day: u32) -> Date {
        let n = self.next();
        let month = (n.q - 1) * 3 + 1;
        // 季度的第一个月（1、4、7、10 月）都有 31 天；范围由 `Schedule::from_config` 检查。
        let day = day.clamp(1, 31) as u8;
        Date {
            year: n.year,
            month,
            day,
        }
    }

    /// “第二季度”。
    pub fn chinese_ordinal(&self) -> &'static str {
        ["一", "二", "三", "四"][(self.q - 1) as usize]
    }

    /// “2023年第二季度”。
    pub fn chinese(&self) -> String {
        format!("{}年第{}季度", self.year, self.chinese_ordinal())
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

/// “今天”来自哪里（写进构建摘要，便于复现）。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TodaySource {
    Cli,
    SourceDateEpoch,
    Config,
    /// 三者都没有：命令层读系统时钟，取北京时间（UTC+8）的当天。
    Clock,
}

impl TodaySource {
    /// 摘要里写的来源：“--today”“SOURCE_DATE_EPOCH”“duban.toml”。
    pub fn label(self) -> &'static str {
        match self {
            TodaySource::Cli => "--today",
            TodaySource::SourceDateEpoch => "SOURCE_DATE_EPOCH",
            TodaySource::Config => "duban.toml",
            TodaySource::Clock => "系统时钟（北京时间）",
        }
    }
}

/// 中国标准时间（UTC+8，无夏令时）下 Unix 时间戳所在的日期：北京时间 0–8 点仍是当天，不是前一天。
pub fn china_date(unix_seconds: u64) -> Date {
    Date::from_unix_seconds(unix_seconds + 8 * 3600)
}

/// 按优先级确定“今天”：命令行 > `SOURCE_DATE_EPOCH` > 配置。三者都没有时返回 `Ok(None)`，
/// 由调用方决定报错（构建必须可复现，不能悄悄取系统时间）。
pub fn resolve_today(
    cli: Option<&str>,
    source_date_epoch: Option<&str>,
    config: Option<&str>,
) -> Result<Option<(Date, TodaySource)>, DateError> {
    if let Some(s) = cli {
        return Date::parse(s).map(|d| Some((d, TodaySource::Cli)));
    }
    if let Some(s) = source_date_epoch.filter(|s| !s.trim().is_empty()) {
        let secs: u64 = s.trim().parse().map_err(|_| DateError::Epoch(s.into()))?;
        return Ok(Some((
            Date::from_unix_seconds(secs),
            TodaySource::SourceDateEpoch,
        )));
    }
    if let Some(s) = config {
        return Date::parse(s).map(|d| Some((d, TodaySource::Config)));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format() {
        let d = Date::parse("2023-02-15").unwrap();
        assert_eq!(d.chinese(), "2023年2月15日");
        assert_eq!(d.to_string(), "2023-02-15");
        assert!(matches!(
            Date::parse("2023-02-30"),
            Err(DateError::Invalid(_))
        ));
        assert!(matches!(
            Date::parse("2023/02/15"),
            Err(DateError::Format(_))
        ));
        assert_eq!(Date::parse("2024-02-29").unwrap().day, 29);
    }

    #[test]
    fn quarter_due_dates() {
        let q = Quarter::parse("2023Q2").unwrap();
        assert_eq!(q.due(20).to_string(), "2023-07-20");
        assert_eq!(
            Quarter::parse("2023Q4").unwrap().due(20).to_string(),
            "2024-01-20"
        );
        assert_eq!(
            Quarter::parse("2023Q1").unwrap().due(20).to_string(),
            "2023-04-20"
        );
        assert_eq!(q.chinese(), "2023年第二季度");
        assert!(Quarter::parse("2023Q5").is_err());
        assert!(Quarter::parse("23Q1").is_err());
        assert_eq!(
            Date::parse("2023-11-30").unwrap().quarter().to_string(),
            "2023Q4"
        );
    }

    #[test]
    fn epoch_conversion() {
        assert_eq!(Date::from_unix_seconds(0).to_string(), "1970-01-01");
        // 2023-02-07 16:05 +08:00 = 08:05 UTC
        assert_eq!(
            Date::from_unix_seconds(1_675_757_100).to_string(),
            "2023-02-07"
        );
        assert_eq!(
            Date::from_unix_seconds(951_782_400).to_string(),
            "2000-02-29"
        );
        let d = Date::parse("2023-02-25").unwrap();
        assert_eq!(d.add_days(7).to_string(), "2023-03-04");
        assert_eq!(d.add_days(-60).to_string(), "2022-12-27");
        assert_eq!(
            Date::from_unix_seconds(d.days_since_epoch() as u64 * 86_400),
            d
        );
    }

    #[test]
    fn china_standard_time_rolls_over_at_utc_16() {
        // 2023-12-31 15:59:59 UTC = 2023-12-31 23:59:59 北京时间；一秒后北京已是 2024 年元旦。
        assert_eq!(china_date(1_704_038_399).to_string(), "2023-12-31");
        assert_eq!(china_date(1_704_038_400).to_string(), "2024-01-01");
        assert_eq!(
            Date::from_unix_seconds(1_704_038_400).to_string(),
            "2023-12-31"
        );
    }

    #[test]
    fn today_priority() {
        let r = resolve_today(Some("2023-03-01"), Some("0"), Some("2023-02-08")).unwrap();
        assert_eq!(r.unwrap().1, TodaySource::Cli);
        let r = resolve_today(None, Some("0"), Some("2023-02-08")).unwrap();
        assert_eq!(
            r.unwrap(),
            (Date::new(1970, 1, 1).unwrap(), TodaySource::SourceDateEpoch)
        );
        let r = resolve_today(None, None, Some("2023-02-08")).unwrap();
        assert_eq!(r.unwrap().0.chinese(), "2023年2月8日");
        assert_eq!(resolve_today(None, None, None).unwrap(), None);
        assert!(resolve_today(None, Some("abc"), None).is_err());
    }
}
