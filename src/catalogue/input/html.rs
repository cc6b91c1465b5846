//! 存下来的网页（.html）→ 逐行文字。
//!
//! 政府网站的通知页面除正文外还有导航、栏目、分享、页脚等“页面框架”，整页常常写在一行里。
//! 做法：容错地把 HTML 建成元素树（不闭合的 `<p>`、`<li>`、`<td>` 按 HTML 规则自动收起），
//! 去掉 script/style/导航/表单，在树中取“非链接文字”占全文八成以上的最深的元素当正文
//! （导航和栏目几乎全是链接），再按块级元素、`<br>` 分行，表格交给 `table`。

use super::table::{table_lines, Cell};
use super::Note;

#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
}

/// 不收内容的元素。
const VOID: &[&str] = &[
    "br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "source",
    "track", "wbr",
];
/// 内容不是正文的元素：整个跳过。
const SKIP: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "nav", "aside", "form", "select",
    "button", "iframe", "object", "svg", "textarea", "map",
];
/// 块级元素：前后断行。
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "tr",
    "center",
    "address",
    "figure",
    "figcaption",
    "body",
    "html",
    "center",
    "font-block",
];
/// 遇到这些开始标签时，未闭合的 `<p>` 自动收起。
const CLOSES_P: &[&str] = &[
    "p",
    "div",
    "table",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "dl",
    "hr",
    "header",
    "footer",
];

/// 实体：`&nbsp;` `&ldquo;` `&#12288;` `&#x3000;`；认不出的原样保留。
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map(|e| e + 1)
            .unwrap_or(rest.len());
        let name = &rest[1..end];
        let semi = rest[end..].starts_with(';');
        let ch: Option<String> = if let Some(num) = name.strip_prefix('#') {
            let v = match num.strip_prefix(['x', 'X']) {
                Some(h) => u32::from_str_radix(h, 16).ok(),
                None => num.parse().ok(),
            };
            v.and_then(char::from_u32).map(String::from)
        } else {
            quick_xml::escape::resolve_html5_entity(name).map(str::to_string)
        };
        match ch {
            Some(c) if !name.is_empty() => {
                out.push_str(&c);
                rest = &rest[end + usize::from(semi)..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn attrs_of(s: &str) -> Vec<(String, String)> {
    let mut v = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let (val, after) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = r[1..].find(q).map(|e| e + 1).unwrap_or(r.len());
                    (&r[1..close], r.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let e = r.find(char::is_whitespace).unwrap_or(r.len());
                    (&r[..e], &r[e..])
                }
            };
            value = decode_entities(val);
            rest = after.trim_start();
        } else if name.is_empty() {
            rest = rest.get(1..).unwrap_or("").trim_start();
        }
        if !name.is_empty() {
            v.push((name, value));
        }
    }
    v
}

/// 收起最近一个 `name` 元素（连同其中没闭合的元素）；没有打开的 `name` 时忽略这个结束标签。
fn close(stack: &mut Vec<El>, name: &str) {
    if let Some(pos) = stack.iter().rposition(|e| e.name == name) {
        if pos == 0 {
            return;
        }
        while stack.len() > pos {
            let e = stack.pop().unwrap_or_default();
            if let Some(top) = stack.last_mut() {
                top.children.push(Node::El(e));
            }
        }
    }
}

/// 容错地建树。
fn parse(html: &str) -> El {
    let mut stack: Vec<El> = vec![El {
        name: "#root".into(),
        ..El::default()
    }];
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut stack, rest);
            break;
        };
        push_text(&mut stack, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.find("-->").map(|e| &r[e + 3..]).unwrap_or("");
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map(|e| &rest[e + 1..]).unwrap_or("");
            continue;
        }
        let Some(gt) = rest.find('>') else {
            push_text(&mut stack, rest);
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        match tag.strip_prefix('/') {
            Some(name) => close(&mut stack, &name.trim().to_ascii_lowercase()),
            None => rest = open_tag(&mut stack, tag, rest),
        }
    }
    while stack.len() > 1 {
        let e = stack.pop().unwrap_or_default();
        if let Some(top) = stack.last_mut() {
            top.children.push(Node::El(e));
        }
    }
    stack.pop().unwrap_or_default()
}

/// 开始标签 `<tag>`：按 HTML 规则先收起不闭合的 `<p>`、`<li>`、`<td>`、`<tr>`，再打开新元素。
/// 返回接着读的位置（script、style 等原始文本元素跳到结束标签）。
fn open_tag<'h>(stack: &mut Vec<El>, tag: &str, rest: &'h str) -> &'h str {
    let name_end = tag
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(tag.len());
    let name = tag[..name_end].to_ascii_lowercase();
    if !name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        push_text(stack, &format!("<{tag}>"));
        return rest;
    }
    if matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
        let end = format!("</{name}");
        let lower = rest.to_ascii_lowercase();
        return lower.find(&end).map(|e| &rest[e..]).unwrap_or("");
    }
    if CLOSES_P.contains(&name.as_str()) && stack.iter().any(|e| e.name == "p") {
        close(stack, "p");
    }
    match name.as_str() {
        "li" => implied(stack, "li", &["ul", "ol"]),
        "td" | "th" => {
            implied(stack, "td", &["tr", "table"]);
            implied(stack, "th", &["tr", "table"]);
        }
        "tr" => implied(stack, "tr", &["table", "tbody", "thead"]),
        _ => {}
    }
    let el = El {
        attrs: attrs_of(&tag[name_end..]),
        name: name.clone(),
        children: Vec::new(),
    };
    if VOID.contains(&name.as_str()) || tag.ends_with('/') {
        if let Some(top) = stack.last_mut() {
            top.children.push(Node::El(el));
        }
    } else {
        stack.push(el);
    }
    rest
}

/// 打开 `name` 时，若最近一个 `name` 之后没有更近的 `scope` 元素，先收起它（如连续的 `<li>`）。
fn implied(stack: &mut Vec<El>, name: &str, scope: &[&str]) {
    let last = stack.iter().rposition(|e| e.name == name);
    let last_scope = stack.iter().rposition(|e| scope.contains(&e.name.as_str()));
    if let Some(l) = last {
        if last_scope.is_none_or(|s| s < l) {
            close(stack, name);
        }
    }
}

fn push_text(stack: &mut [El], s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(top) = stack.last_mut() {
        top.children.push(Node::Text(decode_entities(s)));
    }
}

fn skipped(e: &El) -> bool {
    SKIP.contains(&e.name.as_str())
        || e.attrs
            .iter()
            .any(|(k, v)| k == "style" && v.replace(' ', "").contains("display:none"))
        || e.attrs.iter().any(|(k, _)| k == "hidden")
}

/// 非链接文字的字数（不含空白）。
fn own_text(e: &El, in_link: bool) -> usize {
    if skipped(e) {
        return 0;
    }
    let link = in_link || e.name == "a";
    e.children
        .iter()
        .map(|c| match c {
            Node::Text(t) if !link => t.chars().filter(|c| !c.is_whitespace()).count(),
            Node::Text(_) => 0,
            Node::El(x) => own_text(x, link),
        })
        .sum()
}

/// 最深的、非链接文字占全文八成以上的元素。
fn content(root: &El) -> &El {
    let total = own_text(root, false);
    let mut cur = root;
    'down: loop {
        for c in &cur.children {
            if let Node::El(x) = c {
                if !skipped(x) && own_text(x, false) * 10 >= total * 8 {
                    cur = x;
                    continue 'down;
                }
            }
        }
        return cur;
    }
}

/// 逐行写出。
#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    cur: String,
    notes: Vec<Note>,
    /// 待写的空白：`Some(含换行)`。跨文字节点保留，遇到下一个字时再决定写不写空格。
    ws: Option<bool>,
}

impl Lines {
    fn brk(&mut self) {
        let t = self
            .cur
            .trim_matches(|c: char| c.is_whitespace())
            .to_string();
        if !t.is_empty() {
            self.lines.push(t);
        }
        self.cur.clear();
        self.ws = None;
    }

    fn text(&mut self, t: &str, pre: bool) {
        if pre {
            for (i, part) in t.split('\n').enumerate() {
                if i > 0 {
                    self.brk();
                }
                self.cur.push_str(part);
            }
            return;
        }
        // 空白折叠：连续空白记一个空格；夹在两个汉字之间的换行（源码折行）不算空格。
        for c in t.chars() {
            if c.is_ascii_whitespace() {
                let nl = c == '\n' || c == '\r';
                self.ws = Some(self.ws.unwrap_or(false) || nl);
                continue;
            }
            if let Some(nl) = self.ws.take() {
                let prev_cjk = self.cur.chars().next_back().is_some_and(wide);
                if !(self.cur.is_empty() || nl && prev_cjk && wide(c)) {
                    self.cur.push(' ');
                }
            }
            self.cur.push(if c == '\u{a0}' { ' ' } else { c });
        }
    }

    fn walk(&mut self, e: &El, pre: bool) {
        if skipped(e) {
            return;
        }
        let name = e.name.as_str();
        if name == "br" {
            self.brk();
            return;
        }
        if name == "table" {
            self.brk();
            let rows = table_rows(e);
            let first = self.lines.len() + 1;
            let lines = table_lines(&rows, first, &mut self.notes);
            self.lines.extend(lines);
            return;
        }
        let block = BLOCK.contains(&name);
        if block {
            self.brk();
        }
        let pre = pre || name == "pre";
        for c in &e.children {
            match c {
                Node::Text(t) => self.text(t, pre),
                Node::El(x) => self.walk(x, pre),
            }
        }
        if block {
            self.brk();
        }
    }
}

fn wide(c: char) -> bool {
    ('\u{2e80}'..='\u{9fff}').contains(&c)
        || ('\u{ff00}'..='\u{ffef}').contains(&c)
        || ('\u{3000}'..='\u{303f}').contains(&c)
        || ('\u{2010}'..='\u{206f}').contains(&c)
}

/// `<table>` → 各行各格（嵌套在 thead/tbody/tfoot 里的行也算；格里的 `<p>`、`<br>` 分段）。
fn table_rows(t: &El) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    collect_rows(t, &mut rows);
    rows
}

fn collect_rows(e: &El, rows: &mut Vec<Vec<Cell>>) {
    for c in &e.children {
        let Node::El(x) = c else { continue };
        match x.name.as_str() {
            "tr" => {
                let mut row = Vec::new();
                for cc in &x.children {
                    let Node::El(td) = cc else { continue };
                    if td.name != "td" && td.name != "th" {
                        continue;
                    }
                    let num = |k: &str| {
                        td.attrs
                            .iter()
                            .find(|(a, _)| a == k)
                            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                            .unwrap_or(1)
                            .clamp(1, 1000)
                    };
                    let mut l = Lines::default();
                    for ch in &td.children {
                        match ch {
                            Node::Text(t) => l.text(t, false),
                            Node::El(y) => l.walk(y, false),
                        }
                    }
                    l.brk();
                    row.push(Cell {
                        paras: l.lines,
                        colspan: num("colspan"),
                        vmerge: None,
                        rowspan: num("rowspan"),
                    });
                }
                rows.push(row);
            }
            "table" => {}
            _ => collect_rows(x, rows),
        }
    }
}

/// 读网页：返回逐行文字与转换说明。
pub(super) fn read(html: &str) -> (String, Vec<Note>) {
    let root = parse(html);
    let body = content(&root);
    let mut l = Lines::default();
    l.walk(body, false);
    l.brk();
    let mut text = l.lines.join("\n");
    text.push('\n');
    (text, l.notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_chrome_is_dropped_and_lines_kept() {
        let page = concat!(
            "<!DOCTYPE html><html><head><title>通知</title><style>p{color:red}</style>",
            "<script>var a = '<p>假的</p>';</script></head><body>",
            "<div class=nav><a href=/>首页</a> &gt; <a href=/zw>政务公开</a></div>",
            "<div id=zoom><p>重点任务分工方案<p>一、重点工作<br>1.加快推进&ldquo;光谷&rdquo;建设，",
            "\n打造产业集群。（牵头单位：区发改局&#xff1b;责任单位：区财政局）",
            "<p>&nbsp;&nbsp;2.做好就业工作。(牵头单位:区人社局)</div>",
            "<div class=footer><a href=#>网站地图</a> 主办：区政府办公室</div></body></html>"
        );
        let (text, notes) = read(page);
        assert!(notes.is_empty());
        assert_eq!(
            text,
            "重点任务分工方案\n一、重点工作\n1.加快推进“光谷”建设，打造产业集群。（牵头单位：区发改局；责任单位：区财政局）\n2.做好就业工作。(牵头单位:区人社局)\n"
        );
    }

    #[test]
    fn tables_lists_and_broken_markup() {
        let page = "<body><ul><li>甲<li>乙</ul><table><tr><td>序号<td>工作任务<td>牵头单位<tr><td>1<td>丙。<td>区发改局</table><p>未闭合 &amp 文字 &unknown; <b>粗";
        let (text, _) = read(page);
        assert_eq!(
            text,
            "甲\n乙\n1.丙。（牵头单位：区发改局）\n未闭合 & 文字 &unknown; 粗\n"
        );
    }
}
