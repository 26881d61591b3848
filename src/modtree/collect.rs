//! Facts of one source file, gathered from its syntax tree in the worker thread that parsed it.
//!
//! syn's trees hold `proc_macro2` tokens, which are neither `Send` nor valid outside the thread
//! whose source map made their spans; so each file is parsed, read and dropped in one worker, and
//! only the plain [`FileFacts`] travel back. Nothing here touches the disk.

use super::{LineMap, Severity, Size};
use proc_macro2::Span;
use syn::visit::{self, Visit};
use syn::{Attribute, ImplItem, Item, Meta, TraitItem};

/// What one file says about the modules in it. `modules[0]` is the file's top level; the rest are
/// inline modules (`mod x { … }`, also inside function bodies) in declaration order.
#[derive(Debug, Default)]
pub(super) struct FileFacts {
    pub modules: Vec<LocalModule>,
    pub line_count: u32,
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
}

/// An `include!(…)` call.
#[derive(Debug, Clone)]
pub(super) struct IncludeDecl {
    /// The literal path, or `None` when it is computed (e.g. `concat!(env!("OUT_DIR"), …)`).
    pub path: Option<String>,
    pub text: String,
    pub at: (u32, u32),
}

#[derive(Debug, Clone)]
pub(super) struct LocalProblem {
    pub severity: Severity,
    pub at: Option<(u32, u32)>,
    pub message: String,
}

/// Parses `text` and gathers its facts. `test_only` says whether the file's module is already
/// test-only through its declaration. Never fails: a syntax error is recorded on `modules[0]`
/// and the lines are still counted.
pub(super) fn collect_file(text: &str, test_only: bool) -> FileFacts {
    let lines = LineMap::scan(text);
    let line_count = lines.len();
    let mut collector = Collector {
        modules: vec![LocalModule {
            span: (1, line_count.max(1)),
            ..LocalModule::default()
        }],
        current: 0,
        fn_stack: Vec::new(),
        test_ranges: Vec::new(),
        in_item_macro: false,
    };
    match syn::parse_file(text) {
        Ok(file) => {
            if file.attrs.iter().any(is_cfg_test) {
                collector.modules[0].cfg_test = true;
            }
            collector.modules[0].cfg = cfg_predicates(&file.attrs);
            collector.visit_file(&file);
        }
        Err(err) => {
            let start = err.span().start();
            collector.modules[0].problems.push(LocalProblem {
                severity: Severity::Error,
                at: Some((start.line as u32, start.column as u32 + 1)),
                message: format!("syntax error: {err}"),
            });
        }
    }
    let Collector {
        mut modules,
        test_ranges,
        ..
    } = collector;
    assign_sizes(&mut modules, &lines, &test_ranges, test_only);
    FileFacts {
        modules,
        line_count,
    }
}

/// Gives each line to the innermost module whose span holds it, then counts per module.
fn assign_sizes(
    modules: &mut [LocalModule],
    lines: &LineMap,
    test_ranges: &[(u32, u32)],
    test_only: bool,
) {
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
    in_item_macro: bool,
}

impl Collector {
    fn enter_inline_module(&mut self, m: &syn::ItemMod, items: &[Item], close: Span) {
        let parent = self.current;
        let mut inline_path = self.modules[parent].inline_path.clone();
        inline_path.push(m.ident.to_string());
        let decl = span_start(m.ident.span());
        self.modules.push(LocalModule {
            name: m.ident.to_string(),
            parent: Some(parent),
            inline_path,
            in_fn: self.fn_stack.last().cloned(),
            path_attr: path_attr(&m.attrs),
            decl,
            span: (mod_first_line(m), close.end().line as u32),
            cfg: cfg_predicates(&m.attrs),
            cfg_test: m.attrs.iter().any(is_cfg_test),
            ..LocalModule::default()
        });
        let saved_fns = std::mem::take(&mut self.fn_stack);
        self.current = self.modules.len() - 1;
        for item in items {
            self.visit_item(item);
        }
        self.current = parent;
        self.fn_stack = saved_fns;
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
        if let Item::Mod(m) = item {
            match &m.content {
                Some((brace, items)) => self.enter_inline_module(m, items, brace.span.close()),
                None => {
                    let decl = ModDecl {
                        name: m.ident.to_string(),
                        path_attr: path_attr(&m.attrs),
                        cfg: cfg_predicates(&m.attrs),
                        cfg_test: m.attrs.iter().any(is_cfg_test),
                        at: span_start(m.ident.span()),
                        in_fn: self.fn_stack.last().cloned(),
                    };
                    self.module().decls.push(decl);
                }
            }
            return;
        }
        let attrs = item_attrs(item);
        if attrs.iter().any(is_cfg_test) {
            let start = attrs[0].pound_token.span.start().line as u32;
            self.mark_test_range(start, item_last_line(item));
        }
        self.in_item_macro = matches!(item, Item::Macro(_));
        visit::visit_item(self, item);
        self.in_item_macro = false;
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
        let is_include = mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "include");
        if is_include {
            let path = mac.parse_body::<syn::LitStr>().ok().map(|lit| lit.value());
            let at = span_start(mac.path.segments[0].ident.span());
            let text = mac.tokens.to_string();
            if !self.in_item_macro && path.is_none() {
                // A computed include in expression position (usually build-script output).
                self.module().problems.push(LocalProblem {
                    severity: Severity::Warning,
                    at: Some(at),
                    message: format!(
                        "include!({text}) is computed at build time; its file is not analyzed"
                    ),
                });
                return;
            }
            self.module().includes.push(IncludeDecl { path, text, at });
        }
        visit::visit_macro(self, mac);
    }
}

fn span_start(span: Span) -> (u32, u32) {
    let lc = span.start();
    (lc.line as u32, lc.column as u32 + 1)
}

fn mod_first_line(m: &syn::ItemMod) -> u32 {
    if let Some(attr) = m
        .attrs
        .iter()
        .find(|a| matches!(a.style, syn::AttrStyle::Outer))
    {
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

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// `#[cfg(test)]` or `#[cfg(all(…, test, …))]`: compiled only when testing.
pub(super) fn is_cfg_test(attr: &Attribute) -> bool {
    attr.path().is_ident("cfg") && attr.parse_args::<Meta>().is_ok_and(|m| implies_test(&m))
}

fn implies_test(meta: &Meta) -> bool {
    match meta {
        Meta::Path(p) => p.is_ident("test"),
        Meta::List(list) if list.path.is_ident("all") => list
            .parse_args_with(syn::punctuated::Punctuated::<Meta, syn::Token![,]>::parse_terminated)
            .is_ok_and(|metas| metas.iter().any(implies_test)),
        _ => false,
    }
}

/// Attributes that make a function a test case: `#[test]`, `#[tokio::test]` and other `…::test`,
/// and the common test-framework attributes.
fn is_test_attr(attr: &Attribute) -> bool {
    const NAMES: &[&str] = &[
        "test",
        "rstest",
        "test_case",
        "quickcheck",
        "proptest",
        "wasm_bindgen_test",
        "bench",
    ];
    matches!(attr.style, syn::AttrStyle::Outer)
        && attr
            .path()
            .segments
            .last()
            .is_some_and(|s| NAMES.iter().any(|n| s.ident == n))
}

fn cfg_predicates(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| match &a.meta {
            Meta::List(list) => Some(format!("cfg({})", list.tokens)),
            _ => None,
        })
        .collect()
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| match &a.meta {
        Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}
