//! 模板：内置模板用 `include_str!` 嵌入；`templates/` 目录下的同名文件覆盖内置模板。

use serde::Serialize;
use std::path::Path;

/// 内置模板（名称, 内容）。名称即 `templates/` 下覆盖文件的文件名。
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "tasklist.md.tera",
        include_str!("templates/tasklist.md.tera"),
    ),
    (
        "reminder.md.tera",
        include_str!("templates/reminder.md.tera"),
    ),
];

/// 模板错误。
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("模板 {name} 有误：{message}")]
    Invalid { name: String, message: String },
    #[error("没有名为 {0} 的模板")]
    Missing(String),
}

/// 已加载的模板集合。
pub struct Templates {
    tera: tera::Tera,
}

impl Templates {
    /// 加载内置模板，再用 `override_dir` 中的同名文件覆盖（待实现，见 issue 3）。
    pub fn load(_override_dir: Option<&Path>) -> Result<Self, TemplateError> {
        Ok(Self {
            tera: tera::Tera::default(),
        })
    }

    /// 用视图结构渲染模板，得到 Markdown 文本。
    pub fn render(&self, name: &str, ctx: &impl Serialize) -> Result<String, TemplateError> {
        let ctx = tera::Context::from_serialize(ctx).map_err(|e| TemplateError::Invalid {
            name: name.into(),
            message: e.to_string(),
        })?;
        self.tera
            .render(name, &ctx)
            .map_err(|e| TemplateError::Invalid {
                name: name.into(),
                message: e.to_string(),
            })
    }
}
