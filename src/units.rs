//! 单位登记册 `content/units.toml`：规范名、类别、别名/简称、群体短语的成员。

use serde::{Deserialize, Serialize};

/// 单位类别。
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum UnitKind {
    #[serde(rename = "区直部门")]
    Department,
    #[serde(rename = "街道办事处")]
    Street,
    #[serde(rename = "企业")]
    Enterprise,
    #[serde(rename = "其他")]
    Other,
}

/// 一个单位。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// 规范名，如“区科经局”。
    pub name: String,
    pub kind: UnitKind,
    /// 别名与简称，如 ["区财政局(金融办)"]。
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// 群体短语，如“各街道办事处”；`members` 为已知成员（规范名），未知则为空。
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupPhrase {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub members: Vec<String>,
}

/// 单位登记册。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    #[serde(default, rename = "unit")]
    pub units: Vec<Unit>,
    #[serde(default, rename = "group")]
    pub groups: Vec<GroupPhrase>,
}

impl Registry {
    /// 按规范名或别名查找单位。
    pub fn unit(&self, name: &str) -> Option<&Unit> {
        self.units
            .iter()
            .find(|u| u.name == name || u.aliases.iter().any(|a| a == name))
    }
    /// 按名称或别名查找群体短语。
    pub fn group(&self, name: &str) -> Option<&GroupPhrase> {
        self.groups
            .iter()
            .find(|g| g.name == name || g.aliases.iter().any(|a| a == name))
    }
}
