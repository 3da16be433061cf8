"""The line-based markdown reader of ``ladder.handbook``: sections, lists, tables, inline text."""

from __future__ import annotations

import pytest

from ladder.handbook.inline import escape, escape_start, links, plain
from ladder.handbook.markdown import BulletList, Other, Paragraph, Section, parse


def titles(section: Section) -> list[tuple[int, str, int]]:
    return [(s.depth, s.title, s.line) for s in section.walk() if s.depth]


def only_list(section: Section) -> BulletList:
    lists = section.lists()
    assert len(lists) == 1
    return lists[0]


def test_headings_at_any_depth_form_a_tree_with_line_numbers():
    doc = parse("# Family\n\n## A\n\ntext\n\n#### A part\n\n### B\n\n## C\n", "p.md")
    assert titles(doc.root) == [
        (1, "Family", 1),
        (2, "A", 3),
        (4, "A part", 7),
        (3, "B", 9),
        (2, "C", 11),
    ]
    family = doc.root.children[0]
    a = family.children[0]
    assert [c.title for c in a.children] == ["A part", "B"]
    assert a.paragraphs()[0].text == "text"
    assert a.file == "p.md"


def test_heading_closing_hashes_attributes_and_links_are_dropped():
    doc = parse("## [Senior X](#senior-x) ##\n### Levels {#levels}\n")
    assert [s.title for s in doc.root.walk() if s.depth] == ["Senior X", "Levels"]


def test_heading_without_a_space_is_read_with_a_note():
    doc = parse("##Senior X\n")
    assert [s.title for s in doc.root.walk() if s.depth] == ["Senior X"]
    assert [n.message for n in doc.notes] == ["heading without a space after '#'"]


def test_setext_headings():
    doc = parse("Title\n=====\n\nPart\n----\nbody\n")
    assert [(s.depth, s.title) for s in doc.root.walk() if s.depth] == [(1, "Title"), (2, "Part")]


def test_front_matter_is_read_and_lines_keep_counting_from_the_file_start():
    doc = parse('---\ntitle: "A Family"\ndescription: It\'s fine\n---\n\n## Levels\n')
    assert doc.front_matter == {"title": "A Family", "description": "It's fine"}
    assert doc.root.children[0].line == 6


def test_front_matter_needing_yaml_is_parsed_by_yaml():
    doc = parse("---\ntitle: A\ntags:\n  - x\n---\n")
    assert doc.front_matter == {"title": "A", "tags": ["x"]}


def test_broken_front_matter_is_a_note_not_an_error():
    doc = parse("---\ntitle: [unclosed\n---\nText\n")
    assert doc.front_matter == {}
    assert "front matter is not valid YAML" in doc.notes[0].message
    unclosed = parse("---\ntitle: A\n")
    assert unclosed.notes[0].message.startswith("front matter is not closed")


@pytest.mark.parametrize(
    "markdown",
    ["- one\n- two\n", "* one\n* two\n", "+ one\n+ two\n", "1. one\n2. two\n", "1) one\n2) two\n"],
)
def test_list_markers(markdown):
    items = only_list(parse(markdown).root).items
    assert [(i.text, i.line) for i in items] == [("one", 1), ("two", 2)]


def test_nested_items_and_indented_continuation_lines():
    text = (
        "- Build a team:\n"
        "  - Recruit people\n"
        "    who are great\n"
        "  - Coach them\n"
        "- Next\n"
        "  continued here\n"
    )
    items = only_list(parse(text).root).items
    assert [i.text for i in items] == ["Build a team:", "Next continued here"]
    assert [c.text for c in items[0].children] == ["Recruit people who are great", "Coach them"]
    assert items[0].children[1].line == 4


def test_a_line_without_a_marker_inside_a_list_is_an_item_with_a_note():
    doc = parse("- First\nSecond item\n- Third\n")
    assert [i.text for i in only_list(doc.root).items] == ["First", "Second item", "Third"]
    assert [(n.line, n.message) for n in doc.notes] == [
        (2, "line without a '- ' marker inside a list read as a list item")
    ]


def test_a_lower_case_line_right_after_an_item_continues_it():
    doc = parse("- First part\nand its end\n")
    assert [i.text for i in only_list(doc.root).items] == ["First part and its end"]
    assert doc.notes == []


def test_a_paragraph_after_a_blank_line_ends_the_list():
    doc = parse("- one\n\nA paragraph.\n")
    assert [type(b) for b in doc.root.blocks] == [BulletList, Paragraph]


def test_a_blank_line_between_items_keeps_one_list():
    doc = parse("- one\n\n- two\n")
    assert [i.text for i in only_list(doc.root).items] == ["one", "two"]


def test_paragraph_lines_are_joined_and_a_list_may_follow_without_a_blank_line():
    doc = parse("In addition to the level\nrequirements:\n- Clearance\n")
    paragraph, bullets = doc.root.blocks
    assert isinstance(paragraph, Paragraph)
    assert paragraph.text == "In addition to the level requirements:"
    assert isinstance(bullets, BulletList)


def test_tables_keep_cells_links_and_row_lines():
    text = (
        "| Role | Grade |\n"
        "| -- | :-: |\n"
        "| [Senior X](#senior-x) | [Grade 7](/grades/) |\n"
        "| Staff X \\| Y | 9 |\n"
    )
    table = parse(text).root.tables()[0]
    assert table.header == ["Role", "Grade"]
    assert table.rows == [["Senior X", "Grade 7"], ["Staff X | Y", "9"]]
    assert table.row_lines == [3, 4]
    assert links(table.raw_rows[0][0])[0].url == "#senior-x"


def test_a_table_without_a_delimiter_row_is_read_with_a_note():
    doc = parse("| a | b |\n| c | d |\n")
    assert doc.root.tables()[0].rows == [["a", "b"], ["c", "d"]]
    assert doc.notes[0].message == "table without a header delimiter row"


def test_code_fences_html_quotes_and_rules_are_kept_apart():
    text = "```\n## not a heading\n- not an item\n```\n<div>\n## x\n</div>\n\n> quoted\n\n---\n"
    doc = parse(text)
    assert [s for s in doc.root.walk() if s.depth] == []
    kinds = [b.kind for b in doc.root.blocks if isinstance(b, Other)]
    assert kinds == ["code", "html", "quote", "rule"]


def test_an_unclosed_fence_runs_to_the_end_with_a_note():
    doc = parse("```\ncode\n")
    assert doc.notes[0].message == "code fence is not closed"


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("[CSM handbook](https://example.com/csm).", "CSM handbook."),
        ("Read [here](/job-families/x/#kpis 'title')", "Read here"),
        ("![logo](/logo.png) **bold** and *em* and __strong__", "logo bold and em and strong"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("`code *x*` and \\*stars\\*", "code *x* and *stars*"),
        ("A &amp; B &lt;c&gt; &#8226;", "A & B <c> \u2022"),
        ("line<br>break <https://example.com>", "linebreak https://example.com"),
        ("[[nested](a)](b)", "nested"),
        ("5 * 3 * 2", "5 * 3 * 2"),
        ("~~old~~ new", "old new"),
    ],
)
def test_plain(markdown, text):
    assert plain(markdown) == text


@pytest.mark.parametrize(
    "text",
    [
        "plain words",
        "a [bracket] and (paren)",
        "[text](url)",
        "**not bold**",
        "back\\slash \\* star",
        "<b>tag</b> &amp;",
        "snake_case and _under_",
        "`tick`",
        "~~strike~~",
        "\U000f0041 private use",
    ],
)
def test_escape_is_the_inverse_of_plain(text):
    expected = text.replace("\U000f0041", "")
    assert plain(escape(text)) == expected.strip()


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "- not a bullet",
        "1. not a list",
        "> quote",
        "| cell",
        "<div>",
        "---",
        "\u2022 dot",
        "{: .toc}",
    ],
)
def test_escape_start_keeps_a_paragraph_a_paragraph(text):
    doc = parse(escape_start(escape(text)))
    assert [type(b) for b in doc.root.blocks] == [Paragraph]
    assert doc.root.blocks[0].text == text  # type: ignore[union-attr]


def test_empty_and_whitespace_pages():
    for text in ("", "\n\n", "   \n\t\n"):
        doc = parse(text)
        assert doc.root.blocks == [] and doc.root.children == []
