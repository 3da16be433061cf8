"""The one tokenizer both databases' search indexes see."""

from __future__ import annotations

from pipelines.search import MAX_TERMS, document, fts5_query, query_terms, tsquery, words


def test_words_fold_case_and_accents_and_split_on_everything_else():
    assert words("Zoë O'Brien-Núñez, zoe.obrien@Example.ORG") == [
        "zoe", "o", "brien", "nunez", "zoe", "obrien", "example", "org",
    ]  # fmt: skip


def test_words_keep_other_scripts_and_digits():
    assert words("Ελένη 李雷 Python3 C++") == ["ελενη", "李雷", "python3", "c"]


def test_document_joins_fields_and_skips_empty_ones():
    assert document(["Casey  Candidate", None, "", "casey@example.org"]) == (
        "casey candidate casey example org"
    )


def test_document_is_bounded_at_a_word_boundary():
    text = document(["word " * 100_000])
    assert len(text) <= 200_000
    assert text.endswith("word")


def test_query_terms_are_distinct_in_order_and_bounded():
    assert query_terms("Kubernetes kubernetes  SALESFORCE!") == ["kubernetes", "salesforce"]
    assert query_terms("   --- ") == []
    assert len(query_terms(" ".join(f"w{i}" for i in range(20)))) == MAX_TERMS


def test_queries_quote_every_term_as_a_prefix():
    assert tsquery(["casey", "o"]) == "'casey':* & 'o':*"
    assert fts5_query(["casey", "o"]) == '"casey"* AND "o"*'
