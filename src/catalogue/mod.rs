//! 任务目录：从印发的通知文本解析出章节、任务组（含总牵头单位）和任务（含牵头、责任单位）。
//!
//! 模型在本文件；读文件（.txt/.docx/.html）在 `input`，解析在 `parse`（行的种类 `lines`，
//! 角色名 `labels`，规则说明与动词写法 `notes`，结构检查 `checks`），单位简写展开在 `expand`
//! （公文惯例见 `crate::names`），未登记单位的报告在 `report`，登记册草稿在 `draft`。

mod checks;
pub mod draft;
pub mod expand;
pub mod input;
mod labels;
mod lines;
mod notes;
pub mod parse;
mod pending;
mod report;

pub use expand::Rule;
pub use parse::parse;

use serde::Serialize;

/// 括注中的角色。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    Lead,
    Responsible,
    Overall,
    /// 写的是人（责任领导等），不是单位。
    People,
    /// 像角色名但不认识（如“完成时限”）。
    Unknown,
}

/// 对单位的一次引用，按文中出现顺序保存。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRef {
    /// 规范名（登记册中的 `name`）；群体短语与未登记单位保留原文写法。
    pub name: String,
    /// 是否为群体短语（如“各街道办事处”“区直各单位”），而非单个单位。
    pub is_group: bool,
}

impl UnitRef {
    pub fn unit(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            is_group: false,
        }
    }
    pub fn group(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            is_group: true,
        }
    }
}

/// 章（如“（一）坚持把产业作为……”），属于某一部分（“二、重点工作”）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chapter {
    /// 部分序号，如 "二"、"三"。
    pub part: String,
    /// 章序号，如 "一"。
    pub number: String,
    pub title: String,
    pub line: usize,
}

/// 任务组：“——标题（总牵头单位：……）”。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// 所属章在 `Catalogue::chapters` 中的下标。
    pub chapter: usize,
    pub title: String,
    /// 总牵头单位，可为空（无总牵头单位的组）或多个。
    pub overall_leads: Vec<UnitRef>,
    pub line: usize,
}

/// 一项任务。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// 唯一标识：重点工作为编号本身（"1"…"135"），其他部分加前缀（如 "三.1"）。
    pub id: String,
    /// 文中编号。
    pub number: u32,
    /// 所属章下标。
    pub chapter: Option<usize>,
    /// 所属任务组下标。
    pub group: Option<usize>,
    /// 任务正文（不含编号和单位括注）。
    pub text: String,
    pub leads: Vec<UnitRef>,
    pub responsible: Vec<UnitRef>,
    /// 任务起始行号（从 1 开始）。
    pub line: usize,
}

/// 一次单位名推断：原文怎么写、读成了什么、按哪条规则（`duban catalogue` 中列出）。
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inference {
    /// 所在任务（`Catalogue::tasks` 的下标）；任务组标题里的为 `None`。
    pub task: Option<usize>,
    /// 所在任务组（标题括注里的推断）。
    pub group: Option<usize>,
    pub line: usize,
    pub column: usize,
    /// 原文写法。
    pub written: String,
    /// 读成的单位名。
    pub unit: String,
    #[serde(skip)]
    pub rule: Rule,
    /// 结果是否为登记册中的单位。
    pub registered: bool,
}

/// 解析后的完整任务目录。
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Catalogue {
    /// 方案标题。
    pub title: String,
    /// 来源文件（显示用）。
    pub source: String,
    pub chapters: Vec<Chapter>,
    pub groups: Vec<Group>,
    /// 按文中顺序的全部任务。
    pub tasks: Vec<Task>,
    /// 单位名推断（借用前后缀、去掉括注、列第一位者为牵头……），按文中顺序。
    pub inferences: Vec<Inference>,
}

impl Catalogue {
    /// 任务所在组的总牵头单位（无组或组无总牵头单位时为空）。
    pub fn overall_leads(&self, task: &Task) -> &[UnitRef] {
        task.group
            .map(|g| self.groups[g].overall_leads.as_slice())
            .unwrap_or(&[])
    }
    /// 按 id（"1"…"135"、"三.1"）查找任务。
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }
    /// 重点工作（编号即 id）的任务数。
    pub fn key_tasks(&self) -> usize {
        self.tasks.iter().filter(|t| !t.id.contains('.')).count()
    }
    /// 任务所在章。
    pub fn chapter_of(&self, task: &Task) -> Option<&Chapter> {
        task.chapter.and_then(|c| self.chapters.get(c))
    }
    /// 任务所在组。
    pub fn group_of(&self, task: &Task) -> Option<&Group> {
        task.group.and_then(|g| self.groups.get(g))
    }
}
