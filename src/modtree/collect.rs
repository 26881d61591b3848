//! Facts of one source file, gathered from its syntax tree in the worker thread that parsed it.
//!
//! syn's trees hold `proc_macro2` tokens, which are neither `Send` nor valid outside the thread
//! whose source map made their spans; so each file is parsed, read and dropped in one worker, and
//! only the plain [`FileFacts`] travel back. Nothing here touches the disk.

use super::{LineMap, Severity, Size};
use crate::items::ModuleItems;
use crate::items::extract::{self, is_cfg_test, is_test_attr, item_attrs, tokens_text};
use proc_macro2::Span;
use std::collections::HashMap;
use syn::ext::IdentExt;
use syn::visit::{self, Visit};
use syn::{Attribute, ImplItem, Item, Meta, TraitItem};

/// What one file says about the modules in it. `modules[0]` is the file's top level; the rest are
/// inline modules (`mod x { … }`, also inside function bodies) in declaration order.
#[derive(Debug, Default)]
pub(super) struct FileFacts {
    pub modules: Vec<LocalModule>,
    pub line_count: u32,
    /// Argument-less `macro_rules!` defined in this file: name and body as source text.
    pub macro_defs: Vec<(String, String)>,
}

#[derive(Debug, Default)]
pub(super) struct LocalModule {
    pub name: String,
    /// Index into [`FileFacts::modules`]; `None` for the top level.
    pub parent: Option<usize>,
    /// Inline module names from the file's top level down to this module (directory rules).
    pub inline_path: Vec<String>,
    pub in_fn: Option<String>,
    /// `#[path = "dir"]` on an inline module names its directory.
    pub path_attr: Option<String>,
    pub decl: (u32, u32),
    pub span: (u32, u32),
    pub cfg: Vec<String>,
    /// `#[cfg(test)]` on this module itself (inline modules, or `#![cfg(test)]` on a file).
    pub cfg_test: bool,
    pub size: Size,
    pub decls: Vec<ModDecl>,
    pub includes: Vec<IncludeDecl>,
    pub problems: Vec<LocalProblem>,
    /// Item-level `name!()` calls of macros not defined earlier in this file, for the walk to
    /// expand when another file defines them (`#[macro_use]`).
    pub unexpanded: Vec<(String, (u32, u32))>,
    /// The module's items and the paths they name (`file` indices are 0: this file).
    pub items: ModuleItems,
}

/// A `mod x;` declaration whose items live in another file.
#[derive(Debug, Clone)]
pub(super) struct ModDecl {
    pub name: String,
    pub path_attr: Option<String>,
    pub cfg: Vec<String>,
    pub cfg_test: bool,
    pub at: (u32, u32),
    /// Declared inside a function body or other block.
    pub in_fn: Option<String>,
    /// The default file of a module whose `cfg_attr(…, path = …)` names others: a missing
    /// default file is not an error (some configuration always picks one of the others).
    pub optional: bool,
}

/// An `include!("…")` call with a literal path (computed ones are warnings, not includes).
#[derive(Debug, Clone)]
pub(super) struct IncludeDecl {
    pub path: String,
    pub at: (u32, u32),
}

#[derive(Debug, Clone)]
pub(super) struct LocalProblem {
    pub severity: Severity,
    pub at: Option<(u32, u32)>,
    pub message: String,
}

/// Parses `text` and gathers its facts. `test_only` says whether the file's module is already
/// test-only through its declaration. Never fails: a syntax error, or the `unreadable` reason
/// given by the caller (the text is then not parsed), is recorded on `modules[0]` and the lines
/// are still counted.
pub(super) fn collect_file(text: &str, test_only: bool, unreadable: Option<String>) -> FileFacts {
    let lines = LineMap::scan(text);
    let line_count = lines.len();
    let mut collector = Collector {
        modules: vec![LocalModule { span: (1, line_count.max(1)), ..LocalModule::default() }],
        current: 0,
        fn_stack: Vec::new(),
        test_ranges: Vec::new(),
        item_macros: HashMap::new(),
        expansion_depth: 0,
        item_depth: 0,
        gate: None,
    };
    let parsed = match unreadable {
        Some(message) => Err((None, message)),
        None => syn::parse_file(text).map_err(|err| {
            let start = err.span().start();
            (Some((start.line as u32, start.column as u32 + 1)), format!("syntax error: {err}"))
        }),
    };
    match parsed {
        Ok(file) => {
            if file.attrs.iter().any(is_cfg_test) {
                collector.modules[0].cfg_test = true;
            }
            collector.modules[0].cfg = cfg_predicates(&file.attrs);
            collector.visit_file(&file);
        }
        Err((at, message)) => {
            collector.modules[0].problems.push(LocalProblem { severity: Severity::Error, at, message });
            // One bad item (a bare trait object syn no longer reads, say) must not hide the
            // rest of the file: its other items, and the modules it declares, are read one by one.
            if at.is_some() {
                for file in items_one_by_one(text) {
                    collector.visit_file(&file);
                }
            }
        }
    }
    let Collector { mut modules, test_ranges, item_macros, .. } = collector;
    assign_sizes(&mut modules, &lines, &test_ranges, test_only);
    let mut macro_defs: Vec<(String, String)> =
        item_macros.into_iter().map(|(name, body)| (name, body.to_string())).collect();
    macro_defs.sort();
    FileFacts { modules, line_count, macro_defs }
}

/// Gives each line to the innermost module whose span holds it, then counts per module.
fn assign_sizes(modules: &mut [LocalModule], lines: &LineMap, test_ranges: &[(u32, u32)], test_only: bool) {
    let n = lines.len() as usize;
    let mut owner = vec![0usize; n];
    // Modules are in pre-order, so a child always overwrites its parent's claim.
    for (idx, m) in modules.iter().enumerate().skip(1) {
        for line in m.span.0..=m.span.1.min(n as u32) {
            owner[line as usize - 1] = idx;
        }
    }
    let mut is_test = vec![false; n];
    for &(start, end) in test_ranges {
        for line in start..=end.min(n as u32) {
            is_test[line as usize - 1] = true;
        }
    }
    let module_test_only: Vec<bool> = {
        let mut v = Vec::with_capacity(modules.len());
        for m in modules.iter() {
            let inherited = match m.parent {
                Some(p) => v[p],
                None => test_only,
            };
            v.push(inherited || m.cfg_test);
        }
        v
    };
    for line in 1..=n as u32 {
        let idx = owner[line as usize - 1];
        let size = &mut modules[idx].size;
        let code = lines.is_code(line);
        if module_test_only[idx] || is_test[line as usize - 1] {
            size.test_lines += 1;
            size.test_code += u32::from(code);
        } else {
            size.src_lines += 1;
            size.src_code += u32::from(code);
        }
    }
}

struct Collector {
    modules: Vec<LocalModule>,
    current: usize,
    fn_stack: Vec<String>,
    test_ranges: Vec<(u32, u32)>,
    /// `macro_rules!` of this file with an arm taking no input (`() => { … }`): their bodies.
    item_macros: HashMap<String, proc_macro2::TokenStream>,
    expansion_depth: u32,
    /// How many items enclose the current one; only module-level items (0) enter the table.
    item_depth: u32,
    /// The macro a module declared next was written in (`cfg_net!`), for its `cfg` list.
    gate: Option<String>,
}

/// What a module written inside a macro call is compiled under.
enum Gate {
    /// A branch of `cfg_if!`/`cfg_select!`: its condition, as `#[cfg(…)]`.
    Cfg(Vec<Attribute>),
    /// An item-wrapping macro (`cfg_net!`), whose own conditions are not read: its name.
    Macro(String),
}

/// How deep expansions of argument-less local macros may nest.
const MAX_EXPANSION_DEPTH: u32 = 8;

impl Collector {
    fn enter_inline_module(&mut self, m: &syn::ItemMod, cfg: Vec<String>, items: &[Item], close: Span) {
        let parent = self.current;
        let mut inline_path = self.modules[parent].inline_path.clone();
        inline_path.push(m.ident.unraw().to_string());
        let decl = span_start(m.ident.span());
        self.modules.push(LocalModule {
            name: m.ident.unraw().to_string(),
            parent: Some(parent),
            inline_path,
            in_fn: self.fn_stack.last().cloned(),
            path_attr: path_attr(&m.attrs),
            decl,
            span: (mod_first_line(m), close.end().line as u32),
            cfg,
            cfg_test: m.attrs.iter().any(is_cfg_test),
            ..LocalModule::default()
        });
        let saved_fns = std::mem::take(&mut self.fn_stack);
        let saved_depth = std::mem::replace(&mut self.item_depth, 0);
        self.current = self.modules.len() - 1;
        for item in items {
            self.visit_item(item);
        }
        self.current = parent;
        self.fn_stack = saved_fns;
        self.item_depth = saved_depth;
    }

    /// Records `macro_rules!` definitions with an argument-less arm, and reads an invocation
    /// `name!();` of one as the items its body writes (serde declares `mod private;` this way).
    /// Returns whether the item was such an invocation and has been visited. `input`: the
    /// items the call's whole input parses as, when already known.
    fn expand_item_macro(&mut self, m: &syn::ItemMacro, input: Option<Vec<Item>>) -> bool {
        if m.mac.path.is_ident("macro_rules") {
            if let Some(name) = &m.ident
                && let Some(body) = argumentless_arm(&m.mac.tokens)
            {
                self.item_macros.entry(name.to_string()).or_insert(body);
            }
            return false;
        }
        let branches = match m.mac.path.segments.last() {
            Some(s) if s.ident == "cfg_if" => Some(cfg_if_branches(&m.mac.tokens)),
            Some(s) if s.ident == "cfg_select" => Some(cfg_select_branches(&m.mac.tokens)),
            _ => None,
        };
        if let Some(branches) = branches {
            return self.visit_cfg_branches(branches);
        }
        if !m.mac.tokens.is_empty() {
            return self.visit_wrapped_modules(m, input);
        }
        let Some(name) = m.mac.path.get_ident().map(ToString::to_string) else {
            return false;
        };
        if !m.mac.tokens.is_empty() || self.expansion_depth >= MAX_EXPANSION_DEPTH {
            return false;
        }
        let Some(body) = self.item_macros.get(&name).cloned() else {
            let at = span_start(m.mac.path.segments[0].ident.span());
            self.module().unexpanded.push((name, at));
            return false;
        };
        let Ok(file) = syn::parse2::<syn::File>(body) else {
            return false;
        };
        self.expansion_depth += 1;
        for item in &file.items {
            self.visit_item(item);
        }
        self.expansion_depth -= 1;
        true
    }

    /// `cfg_if! { if #[cfg(a)] { … } else if #[cfg(b)] { … } else { … } }` (libc, getrandom,
    /// ahash and many more declare modules this way) and `cfg_select! { a => { … } _ => { … } }`
    /// (hashbrown): the modules of each branch, gated by the branch's condition. The other items
    /// are read by `extract` from the call; only modules are visited here, so nothing is counted
    /// twice. `None` (not in the macro's form): nothing is read.
    fn visit_cfg_branches(&mut self, branches: Option<Vec<(proc_macro2::TokenStream, Vec<Item>)>>) -> bool {
        let Some(branches) = branches else {
            return false;
        };
        for (condition, items) in branches {
            // The condition as an attribute, so `cfg(test)` branches are test-only as written.
            let Ok(attrs) =
                syn::parse::Parser::parse2(Attribute::parse_outer, quote::quote!(#[cfg(#condition)]))
            else {
                continue;
            };
            self.visit_gated_modules(items, &Gate::Cfg(attrs));
        }
        true
    }

    /// `cfg_net! { pub mod net; }` (mio, tokio): a macro called with items, which usually
    /// writes them out under a `cfg`. Its modules are walked, marked with the macro's name (its
    /// conditions are not read); its other items are read by `extract` from the call.
    fn visit_wrapped_modules(&mut self, m: &syn::ItemMacro, input: Option<Vec<Item>>) -> bool {
        let items = match input {
            Some(items) => items,
            None => match syn::parse2::<syn::File>(m.mac.tokens.clone()) {
                Ok(file) => file.items,
                Err(_) => return false,
            },
        };
        let gate = format!("{}!", tokens_text(&quote::ToTokens::to_token_stream(&m.mac.path)));
        self.visit_gated_modules(items, &Gate::Macro(gate))
    }

    /// The modules among `items` written inside a macro call, each under `gate`, and the modules
    /// of macro calls among them (`cfg_os_poll! { cfg_net! { mod net; } }`). Returns whether
    /// there were any.
    fn visit_gated_modules(&mut self, items: Vec<Item>, gate: &Gate) -> bool {
        let mut found = false;
        for item in items {
            match item {
                Item::Mod(mut inner) => {
                    match gate {
                        Gate::Cfg(attrs) => inner.attrs.extend(attrs.iter().cloned()),
                        Gate::Macro(name) => self.gate = Some(name.clone()),
                    }
                    self.visit_mod(&inner);
                    found = true;
                }
                Item::Macro(inner) if self.expansion_depth < MAX_EXPANSION_DEPTH => {
                    self.expansion_depth += 1;
                    found |= self.expand_item_macro(&inner, None);
                    self.expansion_depth -= 1;
                }
                _ => {}
            }
        }
        found
    }

    /// A `mod` item: an inline module entered, or a declaration to follow.
    fn visit_mod(&mut self, m: &syn::ItemMod) {
        // A gate set by the caller applies to this module only, not to modules inside it.
        let mut cfg = cfg_predicates(&m.attrs);
        cfg.extend(self.gate.take());
        match &m.content {
            Some((brace, items)) => self.enter_inline_module(m, cfg, items, brace.span.close()),
            None => {
                let decl = ModDecl {
                    name: m.ident.unraw().to_string(),
                    path_attr: path_attr(&m.attrs),
                    cfg,
                    cfg_test: m.attrs.iter().any(is_cfg_test),
                    at: span_start(m.ident.span()),
                    in_fn: self.fn_stack.last().cloned(),
                    optional: false,
                };
                // `#[cfg_attr(unix, path = "unix.rs")]`: one declaration per file it may load,
                // each gated by its condition; the default file only where none applies.
                let variants = cfg_attr_paths(&m.attrs);
                if variants.is_empty() || decl.path_attr.is_some() {
                    self.module().decls.push(decl);
                    return;
                }
                let conditions: Vec<&str> = variants.iter().map(|(c, _)| c.as_str()).collect();
                for (condition, path) in &variants {
                    let mut variant = decl.clone();
                    variant.path_attr = Some(path.clone());
                    variant.cfg.push(format!("cfg({condition})"));
                    self.module().decls.push(variant);
                }
                let mut default = decl;
                default.cfg.push(format!("cfg(not(any({})))", conditions.join(", ")));
                default.optional = true;
                self.module().decls.push(default);
            }
        }
    }

    fn mark_test_range(&mut self, start: u32, end: u32) {
        self.test_ranges.push((start, end));
    }

    fn module(&mut self) -> &mut LocalModule {
        &mut self.modules[self.current]
    }
}

impl<'ast> Visit<'ast> for Collector {
    fn visit_item(&mut self, item: &'ast Item) {
        let macro_input =
            if self.item_depth == 0 { extract::module_item(item, 0, &mut self.module().items) } else { None };
        if let Item::Mod(m) = item {
            self.visit_mod(m);
            return;
        }
        if let Item::Macro(m) = item
            && self.expand_item_macro(m, macro_input)
        {
            return;
        }
        let attrs = item_attrs(item);
        if attrs.iter().any(is_cfg_test) {
            let start = attrs[0].pound_token.span.start().line as u32;
            self.mark_test_range(start, item_last_line(item));
        }
        self.item_depth += 1;
        visit::visit_item(self, item);
        self.item_depth -= 1;
    }

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if f.attrs.iter().any(is_test_attr) {
            self.module().size.tests += 1;
            let start = f.attrs[0].pound_token.span.start().line as u32;
            self.mark_test_range(start, f.block.brace_token.span.close().end().line as u32);
        }
        self.fn_stack.push(f.sig.ident.to_string());
        visit::visit_item_fn(self, f);
        self.fn_stack.pop();
    }

    fn visit_impl_item(&mut self, item: &'ast ImplItem) {
        let attrs: &[Attribute] = match item {
            ImplItem::Const(i) => &i.attrs,
            ImplItem::Fn(i) => &i.attrs,
            ImplItem::Type(i) => &i.attrs,
            ImplItem::Macro(i) => &i.attrs,
            _ => &[],
        };
        if attrs.iter().any(is_cfg_test) {
            let start = attrs[0].pound_token.span.start().line as u32;
            let end = match item {
                ImplItem::Fn(f) => f.block.brace_token.span.close().end().line as u32,
                other => syn::spanned::Spanned::span(other).end().line as u32,
            };
            self.mark_test_range(start, end);
        }
        visit::visit_impl_item(self, item);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        self.fn_stack.push(f.sig.ident.to_string());
        visit::visit_impl_item_fn(self, f);
        self.fn_stack.pop();
    }

    fn visit_trait_item(&mut self, item: &'ast TraitItem) {
        let attrs: &[Attribute] = match item {
            TraitItem::Const(i) => &i.attrs,
            TraitItem::Fn(i) => &i.attrs,
            TraitItem::Type(i) => &i.attrs,
            TraitItem::Macro(i) => &i.attrs,
            _ => &[],
        };
        if attrs.iter().any(is_cfg_test) {
            let start = attrs[0].pound_token.span.start().line as u32;
            let end = syn::spanned::Spanned::span(item).end().line as u32;
            self.mark_test_range(start, end);
        }
        visit::visit_trait_item(self, item);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        let is_include = mac.path.segments.last().is_some_and(|s| s.ident == "include");
        if is_include {
            let at = span_start(mac.path.segments[0].ident.span());
            match mac.parse_body::<syn::LitStr>() {
                Ok(lit) => self.module().includes.push(IncludeDecl { path: lit.value(), at }),
                Err(_) => {
                    // A computed path, usually build-script output in OUT_DIR.
                    let text = tokens_text(&mac.tokens);
                    self.module().problems.push(LocalProblem {
                        severity: Severity::Warning,
                        at: Some(at),
                        message: format!(
                            "include!({text}) is computed at build time; its file is not analyzed"
                        ),
                    });
                    return;
                }
            }
        }
        visit::visit_macro(self, mac);
    }
}

/// The transcriber of a `() => { … }` arm of a `macro_rules!` body, if it has one.
/// The branches of a `cfg_if!` call, each with the condition under which it is compiled
/// (`all(not(any(earlier…)), own)`); `None` when the call is not in that form.
fn cfg_if_branches(tokens: &proc_macro2::TokenStream) -> Option<Vec<(proc_macro2::TokenStream, Vec<Item>)>> {
    use proc_macro2::{Delimiter, TokenTree};
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut earlier: Vec<proc_macro2::TokenStream> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    let is_ident = |t: Option<&TokenTree>, word: &str| matches!(t, Some(TokenTree::Ident(id)) if id == word);
    loop {
        // `if #[cfg(…)] { … }` or, after `else`, a final `{ … }`.
        let own = if is_ident(trees.get(i), "if") {
            let (Some(TokenTree::Punct(pound)), Some(TokenTree::Group(attr))) =
                (trees.get(i + 1), trees.get(i + 2))
            else {
                return None;
            };
            if pound.as_char() != '#' || attr.delimiter() != Delimiter::Bracket {
                return None;
            }
            let inner: Vec<TokenTree> = attr.stream().into_iter().collect();
            match (inner.first(), inner.get(1)) {
                (Some(TokenTree::Ident(cfg)), Some(TokenTree::Group(g))) if cfg == "cfg" => {
                    i += 3;
                    Some(g.stream())
                }
                _ => return None,
            }
        } else {
            None
        };
        let Some(TokenTree::Group(body)) = trees.get(i) else { return None };
        if body.delimiter() != Delimiter::Brace {
            return None;
        }
        out.push((branch_condition(&earlier, own.as_ref()), brace_items(body)));
        i += 1;
        match own {
            Some(own) => earlier.push(own),
            None => return (i == trees.len()).then_some(out),
        }
        if i == trees.len() {
            return Some(out);
        }
        if !is_ident(trees.get(i), "else") {
            return None;
        }
        i += 1;
    }
}

/// The items of a file that does not parse as a whole, each parsed on its own: the top-level
/// tokens are cut after each `;` and each `{ … }` (a `;` right after a brace stays with it), and
/// the pieces that parse are kept. Empty when the text does not even lex.
fn items_one_by_one(text: &str) -> Vec<syn::File> {
    use proc_macro2::{Delimiter, TokenStream, TokenTree};
    let Ok(tokens) = text.parse::<TokenStream>() else {
        return Vec::new();
    };
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut pieces: Vec<Vec<TokenTree>> = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    for (i, tree) in trees.iter().enumerate() {
        let ends = match tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            // An attribute's `[…]` and a brace followed by `;` do not end an item.
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        current.push(tree.clone());
        if ends {
            pieces.push(std::mem::take(&mut current));
        }
    }
    pieces
        .into_iter()
        .filter_map(|piece| syn::parse2::<syn::File>(piece.into_iter().collect()).ok())
        .collect()
}

/// When a branch of `cfg_if!`/`cfg_select!` is compiled: its own condition (`None` for the last,
/// catch-all branch) and none of the `earlier` ones.
fn branch_condition(
    earlier: &[proc_macro2::TokenStream],
    own: Option<&proc_macro2::TokenStream>,
) -> proc_macro2::TokenStream {
    match (own, earlier.is_empty()) {
        (Some(own), true) => own.clone(),
        (Some(own), false) => quote::quote!(all(not(any(#(#earlier),*)), #own)),
        (None, _) => quote::quote!(not(any(#(#earlier),*))),
    }
}

/// The items written in a `{ … }` branch (none when they do not parse).
fn brace_items(body: &proc_macro2::Group) -> Vec<Item> {
    syn::parse2::<syn::File>(body.stream()).map(|f| f.items).unwrap_or_default()
}

/// The branches of a `cfg_select!` call (`condition => { … }`, `_ => { … }` last), each with the
/// condition under which it is compiled; `None` when the call is not in that form.
fn cfg_select_branches(
    tokens: &proc_macro2::TokenStream,
) -> Option<Vec<(proc_macro2::TokenStream, Vec<Item>)>> {
    use proc_macro2::{Delimiter, TokenTree};
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut earlier: Vec<proc_macro2::TokenStream> = Vec::new();
    let mut out = Vec::new();
    let mut i = 0;
    while i < trees.len() {
        // The condition runs to `=>`.
        let start = i;
        while i + 1 < trees.len()
            && !matches!((&trees[i], &trees[i + 1]), (TokenTree::Punct(a), TokenTree::Punct(b)) if a.as_char() == '=' && b.as_char() == '>')
        {
            i += 1;
        }
        let own: proc_macro2::TokenStream = trees[start..i].iter().cloned().collect();
        let Some(TokenTree::Group(body)) = trees.get(i + 2) else { return None };
        if body.delimiter() != Delimiter::Brace || own.is_empty() {
            return None;
        }
        let wildcard = matches!(&trees[start..i], [TokenTree::Ident(id)] if id == "_");
        out.push((branch_condition(&earlier, (!wildcard).then_some(&own)), brace_items(body)));
        earlier.push(own);
        i += 3;
        if matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
            i += 1;
        }
    }
    Some(out)
}

fn argumentless_arm(tokens: &proc_macro2::TokenStream) -> Option<proc_macro2::TokenStream> {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut i = 0;
    while i + 3 < trees.len() {
        match (&trees[i], &trees[i + 1], &trees[i + 2], &trees[i + 3]) {
            (
                TokenTree::Group(matcher),
                TokenTree::Punct(eq),
                TokenTree::Punct(gt),
                TokenTree::Group(body),
            ) if eq.as_char() == '=' && gt.as_char() == '>' => {
                if matcher.stream().is_empty() {
                    return Some(body.stream());
                }
                i += 4;
                if matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
                    i += 1;
                }
            }
            _ => return None,
        }
    }
    None
}

fn span_start(span: Span) -> (u32, u32) {
    let lc = span.start();
    (lc.line as u32, lc.column as u32 + 1)
}

fn mod_first_line(m: &syn::ItemMod) -> u32 {
    if let Some(attr) = m.attrs.iter().find(|a| matches!(a.style, syn::AttrStyle::Outer)) {
        return attr.pound_token.span.start().line as u32;
    }
    let span = match &m.vis {
        syn::Visibility::Public(t) => t.span,
        syn::Visibility::Restricted(r) => r.pub_token.span,
        syn::Visibility::Inherited => m.mod_token.span,
    };
    span.start().line as u32
}

/// Last line of an item, from its closing token; only rare kinds fall back to a full span.
fn item_last_line(item: &Item) -> u32 {
    let close = |b: &syn::token::Brace| b.span.close().end().line as u32;
    let semi = |s: &syn::token::Semi| s.spans[0].end().line as u32;
    match item {
        Item::Fn(i) => close(&i.block.brace_token),
        Item::Impl(i) => close(&i.brace_token),
        Item::Trait(i) => close(&i.brace_token),
        Item::Enum(i) => close(&i.brace_token),
        Item::Use(i) => semi(&i.semi_token),
        Item::Const(i) => semi(&i.semi_token),
        Item::Static(i) => semi(&i.semi_token),
        Item::Type(i) => semi(&i.semi_token),
        Item::ExternCrate(i) => semi(&i.semi_token),
        Item::Struct(i) => match (&i.fields, &i.semi_token) {
            (_, Some(s)) => semi(s),
            (syn::Fields::Named(f), None) => close(&f.brace_token),
            _ => syn::spanned::Spanned::span(item).end().line as u32,
        },
        other => syn::spanned::Spanned::span(other).end().line as u32,
    }
}

fn cfg_predicates(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| match &a.meta {
            Meta::List(list) => Some(format!("cfg({})", tokens_text(&list.tokens))),
            _ => None,
        })
        .collect()
}

/// `#[cfg_attr(condition, path = "file")]` attributes: each condition (as written) and file.
fn cfg_attr_paths(attrs: &[Attribute]) -> Vec<(String, String)> {
    use syn::punctuated::Punctuated;
    let mut out = Vec::new();
    for a in attrs.iter().filter(|a| a.path().is_ident("cfg_attr")) {
        let Ok(list) = a.parse_args_with(Punctuated::<Meta, syn::Token![,]>::parse_terminated) else {
            continue;
        };
        let mut metas = list.iter();
        let Some(condition) = metas.next() else { continue };
        for meta in metas {
            if let Meta::NameValue(nv) = meta
                && nv.path.is_ident("path")
                && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value
            {
                out.push((tokens_text(&quote::ToTokens::to_token_stream(condition)), s.value()));
            }
        }
    }
    out
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(src: &str) -> FileFacts {
        collect_file(src, false, None)
    }

    #[test]
    fn cfg_test_forms() {
        let yes: Attribute = syn::parse_quote!(#[cfg(test)]);
        let all: Attribute = syn::parse_quote!(#[cfg(all(unix, test))]);
        let any: Attribute = syn::parse_quote!(#[cfg(any(unix, test))]);
        let not: Attribute = syn::parse_quote!(#[cfg(not(test))]);
        assert!(is_cfg_test(&yes) && is_cfg_test(&all));
        assert!(!is_cfg_test(&any) && !is_cfg_test(&not));
    }

    #[test]
    fn modules_in_cfg_if_branches() {
        let f = facts(
            "cfg_if::cfg_if! {\n    if #[cfg(unix)] {\n        mod sys;\n    } else if #[cfg(windows)] {\n        mod win;\n        \
             cfg_if! { if #[cfg(test)] { mod inner { fn x() {} } } }\n    } else {\n        mod other;\n    }\n}\n",
        );
        let decls: Vec<(&str, Vec<String>)> =
            f.modules[0].decls.iter().map(|d| (d.name.as_str(), d.cfg.clone())).collect();
        assert_eq!(
            decls,
            [
                ("sys", vec!["cfg(unix)".to_owned()]),
                ("win", vec!["cfg(all(not(any(unix)), windows))".to_owned()]),
                ("other", vec!["cfg(not(any(unix, windows)))".to_owned()]),
            ]
        );
        // The nested call in the second branch: an inline module, test-only.
        assert_eq!(f.modules[1].name, "inner");
        assert!(f.modules[1].cfg_test);
        let select = facts(
            "cfg_select! {\n    unix => { mod a; }\n    windows => { mod b; }\n    _ => { mod c; }\n}\n",
        );
        let decls: Vec<(&str, Vec<String>)> =
            select.modules[0].decls.iter().map(|d| (d.name.as_str(), d.cfg.clone())).collect();
        assert_eq!(
            decls,
            [
                ("a", vec!["cfg(unix)".to_owned()]),
                ("b", vec!["cfg(all(not(any(unix)), windows))".to_owned()]),
                ("c", vec!["cfg(not(any(unix, windows)))".to_owned()]),
            ]
        );
        // A macro called with items: its modules are walked, marked with its name.
        let wrapped =
            facts("cfg_net! {\n    pub mod net;\n    mod inline { mod deeper {} }\n    fn f() {}\n}\n");
        assert_eq!(wrapped.modules[0].decls[0].name, "net");
        assert_eq!(wrapped.modules[0].decls[0].cfg, ["cfg_net!"]);
        assert_eq!(
            (wrapped.modules[1].name.as_str(), wrapped.modules[1].cfg.clone()),
            ("inline", vec!["cfg_net!".to_owned()])
        );
        assert!(wrapped.modules[2].cfg.is_empty(), "the gate is the outer module's");
        // A file with one item syn cannot read: the others are read.
        let partial = facts(
            "mod a;\ntype Action = Fn(u8) + Send;\nstruct S { x: u8 }\nmod b;\nfn broken(: u8) {}\nmod c;\n",
        );
        let names: Vec<&str> = partial.modules[0].decls.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(partial.modules[0].problems.len(), 1);
        // Not the form `cfg_if!` takes: nothing read, nothing lost.
        assert!(facts("cfg_if! { mod x; }\n").modules[0].decls.is_empty());
    }

    #[test]
    fn cfg_attr_paths_declare_one_module_per_file() {
        let f = facts(
            "#[cfg_attr(unix, path = \"unix.rs\")]\n#[cfg_attr(windows, path = \"windows.rs\")]\nmod sys;\n",
        );
        let decls: Vec<(Option<&str>, Vec<String>, bool)> =
            f.modules[0].decls.iter().map(|d| (d.path_attr.as_deref(), d.cfg.clone(), d.optional)).collect();
        assert_eq!(
            decls,
            [
                (Some("unix.rs"), vec!["cfg(unix)".to_owned()], false),
                (Some("windows.rs"), vec!["cfg(windows)".to_owned()], false),
                (None, vec!["cfg(not(any(unix, windows)))".to_owned()], true),
            ]
        );
    }

    #[test]
    fn test_functions_and_test_lines() {
        let f = facts(
            "fn a() {}\n\n#[test]\nfn t() {\n    a();\n}\n#[tokio::test]\nasync fn u() {}\n\
             #[cfg(test)]\nfn helper() {}\n",
        );
        let size = f.modules[0].size;
        assert_eq!(size.tests, 2);
        assert_eq!((size.src_lines, size.src_code), (2, 1));
        assert_eq!((size.test_lines, size.test_code), (8, 8));
    }

    #[test]
    fn inline_modules_claim_their_lines() {
        let f = facts(
            "fn a() {}\nmod m {\n    fn b() {}\n}\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n",
        );
        assert_eq!(f.modules.len(), 3);
        assert_eq!(f.modules[1].name, "m");
        assert_eq!(f.modules[1].span, (2, 4));
        assert_eq!(f.modules[0].size.src_lines, 1);
        assert_eq!(f.modules[1].size.src_lines, 3);
        assert!(f.modules[2].cfg_test);
        assert_eq!((f.modules[2].size.test_lines, f.modules[2].size.tests), (5, 1));
    }

    #[test]
    fn declarations_keep_path_cfg_and_block() {
        let f = facts(
            "#[cfg(feature = \"x\")]\n#[path = \"p.rs\"]\nmod a;\nfn f() {\n    #[path = \"q.rs\"]\n    mod b;\n}\n",
        );
        let decls = &f.modules[0].decls;
        assert_eq!(decls[0].path_attr.as_deref(), Some("p.rs"));
        assert_eq!(decls[0].cfg, vec!["cfg(feature = \"x\")".to_owned()]);
        assert_eq!(decls[1].in_fn.as_deref(), Some("f"));
        assert_eq!(decls[1].at, (6, 9));
    }

    #[test]
    fn syntax_errors_are_problems_and_lines_still_count() {
        let f = facts("fn a( {\n}\n");
        assert_eq!(f.modules[0].problems.len(), 1);
        assert!(f.modules[0].problems[0].message.starts_with("syntax error"));
        assert_eq!(f.modules[0].size.src_lines, 2);
    }

    #[test]
    fn argumentless_macro_bodies_are_read_as_items() {
        let f = facts(
            "macro_rules! m {\n    ($x:ident) => {};\n    () => { mod from_macro; };\n}\nm!();\nother!();\n",
        );
        assert_eq!(f.modules[0].decls[0].name, "from_macro");
        assert_eq!(f.modules[0].unexpanded, vec![("other".to_owned(), (6, 1))]);
        assert_eq!(f.macro_defs[0].0, "m");
    }

    #[test]
    fn token_text_reads_like_source() {
        let ts: proc_macro2::TokenStream = "all(test, feature = \"x\", not(unix))".parse().unwrap();
        assert_eq!(tokens_text(&ts), "all(test, feature = \"x\", not(unix))");
    }
}
