//! Tera 的英文错误 → 中文说明与定位：语法错误取 Tera 给出的行列，渲染错误（不存在的变量、过滤器……）
//! 在模板原文中找出所在行。认不出的句式先给中文说明，再附 Tera 原文一次。

/// 译好的一条模板错误：行、列（0 表示未知）、说明、提示。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

impl Explained {
    fn at(self, (line, column): (usize, usize)) -> Self {
        Self {
            line,
            column,
            ..self
        }
    }
}

/// Tera 错误链上的全部文字（从外到内）。
fn chain(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        out.push(s.to_string());
        src = s.source();
    }
    out
}

fn ticked(s: &str) -> Option<&str> {
    s.split(['`', '\'']).nth(1)
}

/// 翻译一条 Tera 错误；`text` 是该模板的原文（用来找渲染错误所在的行）。
pub fn explain(e: &tera::Error, text: &str) -> Explained {
    let parts = chain(e);
    if let Some(p) = parts.iter().find(|p| p.trim_start().starts_with("-->")) {
        return syntax(p, text);
    }
    let inner = parts.last().map(String::as_str).unwrap_or("");
    let name = ticked(inner).unwrap_or("").trim_matches(['[', ']']);
    let (message, hint) = if inner.starts_with("Variable ") {
        (
            format!("模板用了不存在的变量“{name}”"),
            "变量名以内置模板为准：运行 duban templates --export 模板名 导出内置模板对照；可能为空的变量用 {% if 变量 %} 包起来",
        )
    } else if inner.starts_with("Template ") && inner.contains("not found") {
        (
            format!("引用的模板“{name}”不存在"),
            "include、import、extends 引用的模板要放在模板文件夹中，或是内置模板名",
        )
    } else if inner.starts_with("Filter ") && inner.contains("not found") {
        (
            format!("没有名为“{name}”的过滤器"),
            "过滤器名写错了：对照内置模板或 Tera 的文档检查拼写",
        )
    } else if inner.starts_with("Filter ") || inner.starts_with("Filter call") {
        (
            format!("过滤器“{name}”用在了不合适的值上"),
            "检查 | 前面的值的类型（文字、数字还是列表）",
        )
    } else if (inner.starts_with("Function ") || inner.starts_with("Test "))
        && inner.contains("not found")
    {
        (
            format!("没有名为“{name}”的函数或测试"),
            "检查拼写：对照内置模板或 Tera 的文档",
        )
    } else if inner.contains("is inheriting from") {
        let parent = inner.split('\'').nth(3).unwrap_or("");
        return Explained {
            line: 0,
            column: 0,
            message: format!("extends 引用的模板“{parent}”不存在"),
            hint: "被 extends 的模板要放在模板文件夹中，或是内置模板名".into(),
        }
        .at(find_in_tags(text, parent));
    } else if inner.starts_with("Circular extend") {
        (
            "模板之间的 extends 形成了循环".to_string(),
            "检查各模板的 extends，去掉互相引用",
        )
    } else if inner.starts_with("Tried to iterate") {
        (
            format!("“{name}”不是列表，不能用 for 遍历"),
            "for 只能遍历列表（如 tasks）或表",
        )
    } else if inner.starts_with("Tried to do math") {
        (
            "对不是数字的值做了算术运算".to_string(),
            "检查 + - * / % 两边的值是否都是数字",
        )
    } else {
        return Explained {
            line: 0,
            column: 0,
            message: format!("模板出错（Tera 信息：{inner}）"),
            hint: "对照内置模板检查这一处写法（duban templates --export 导出内置模板）".into(),
        };
    };
    let (line, column) = find_in_tags(text, name);
    Explained {
        line,
        column,
        message,
        hint: hint.into(),
    }
}

/// 语法错误：Tera 的 “ --> 行:列 … = expected …” 译成中文。
fn syntax(p: &str, text: &str) -> Explained {
    let pos = p
        .trim_start()
        .trim_start_matches("-->")
        .split_whitespace()
        .next()
        .unwrap_or("");
    let (line, column): (usize, usize) = pos
        .split_once(':')
        .and_then(|(l, c)| Some((l.parse().ok()?, c.parse().ok()?)))
        .unwrap_or((0, 0));
    let want = p.rsplit("= ").next().unwrap_or("");
    let at = text
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| l.chars().nth(column.saturating_sub(1)));
    let message = if at.is_some_and(|c| !c.is_ascii()) {
        "模板语法有误：模板标记里的变量名只能用英文字母、数字和下划线（可用的变量见内置模板）"
    } else if want.contains("variable end") {
        "模板语法有误：这里应是 }}（输出标记没有结束，或两个值之间少了运算符或过滤器的 |）"
    } else if want.contains("tag end") || want.contains("`%}`") {
        "模板语法有误：这里应是 %}（标签没有结束）"
    } else if want.contains("tag or some content") || want.contains("a template") {
        "模板语法有误：标签没有配对（{% if %}、{% for %}、{% block %} 要有对应的 {% endif %}、{% endfor %}、{% endblock %}）"
    } else if want.contains("expression")
        || want.contains("value")
        || want.contains("identifier")
        || want.contains("integer")
    {
        "模板语法有误：这里缺少表达式（变量名、数字或加引号的文字）"
    } else {
        "模板语法有误：{{ }}、{% %} 没有成对，或其中的表达式没有写全"
    };
    Explained {
        line,
        column,
        message: message.into(),
        hint: "对照内置模板检查这一处写法（duban templates --export 导出内置模板）".into(),
    }
}

/// 名字在模板标记（{{ }} 或 {% %}）中第一次出现的行、列；找不到时为 (0, 0)。
fn find_in_tags(text: &str, name: &str) -> (usize, usize) {
    if name.is_empty() {
        return (0, 0);
    }
    let mut fallback = (0, 0);
    for (i, line) in text.lines().enumerate() {
        let Some(at) = line.find(name) else { continue };
        let col = line[..at].chars().count() + 1;
        let before = &line[..at];
        if before.contains("{{") || before.contains("{%") {
            return (i + 1, col);
        }
        if fallback == (0, 0) {
            fallback = (i + 1, col);
        }
    }
    fallback
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(src: &str) -> Explained {
        let mut t = tera::Tera::default();
        explain(&t.add_raw_template("a", src).unwrap_err(), src)
    }

    fn parse_err_all(list: &[(&str, &str)]) -> Explained {
        let mut t = tera::Tera::default();
        let e = t.add_raw_templates(list.iter().copied()).unwrap_err();
        explain(&e, list[0].1)
    }

    fn render_err(src: &str) -> Explained {
        let mut t = tera::Tera::default();
        t.add_raw_template("a", src).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("n", &1);
        explain(&t.render("a", &ctx).unwrap_err(), src)
    }

    #[test]
    fn syntax_errors_have_position_and_chinese() {
        let e = parse_err("标题\n{{ x y }}\n");
        assert_eq!((e.line, e.column), (2, 6));
        assert!(e.message.contains("这里应是 }}"), "{e:?}");
        let e = parse_err("{% if n %}\n没有结束\n");
        assert!(e.message.contains("没有配对"), "{e:?}");
        let e = parse_err("正文 {{ 单位名 }}");
        assert!(e.message.contains("只能用英文字母"), "{e:?}");
        let e = parse_err("{{ 1 + }}");
        assert!(e.message.contains("缺少表达式"), "{e:?}");
    }

    #[test]
    fn render_errors_are_located_in_template() {
        let e = render_err("# 标题\n\n正文 {{ unit_name }}\n");
        assert_eq!(e.message, "模板用了不存在的变量“unit_name”");
        assert_eq!((e.line, e.column), (3, 7));
        let e = render_err("{% for x in n %}{% endfor %}");
        assert!(e.message.contains("不是列表"), "{e:?}");
        let e = render_err("{% include \"无此模板\" %}");
        assert!(e.message.contains("“无此模板”不存在"), "{e:?}");
        let e = parse_err_all(&[("a", "{% extends \"无此模板\" %}")]);
        assert_eq!(e.message, "extends 引用的模板“无此模板”不存在");
        assert_eq!((e.line, e.column), (1, 13));
        let e = render_err("{{ n | upper }}");
        assert!(e.message.contains("过滤器“upper”"), "{e:?}");
    }
}
