"""The rules for messages people write or receive: a recruiter's text, its paragraphs,
and when a sign-in counts as one from a new device."""

from __future__ import annotations

import pytest

from pipelines.messages import (
    MAX_MESSAGE_LENGTH,
    MessageTextError,
    check_message_text,
    clean_text,
    is_new_device,
    paragraphs,
)


def test_line_endings_and_surrounding_blank_lines_are_cleaned() -> None:
    assert clean_text("\r\n\r\nDear Casey,  \r\n\r\nThanks.\r\n\r\n") == "Dear Casey,\n\nThanks."
    assert clean_text(None) == ""
    # Indentation inside the text is the writer's and stays.
    assert clean_text("Steps:\n  1. one\n  2. two") == "Steps:\n  1. one\n  2. two"


@pytest.mark.parametrize("text", [None, "", "   ", "\r\n \n\t\n"])
def test_an_empty_text_is_refused(text: str | None) -> None:
    with pytest.raises(MessageTextError, match="The message is empty"):
        check_message_text(text)


def test_a_text_over_the_limit_is_refused_with_both_lengths() -> None:
    check_message_text("x" * MAX_MESSAGE_LENGTH)
    with pytest.raises(MessageTextError, match=r"at most 5,000 characters \(it has 5,001\)"):
        check_message_text("x" * (MAX_MESSAGE_LENGTH + 1), "The message")


def test_paragraphs_split_at_blank_lines_and_keep_their_lines() -> None:
    text = "Dear Casey,\n\nThank you.\nWe chose another candidate.\n\n \n\nBest,\nSam"
    assert paragraphs(text) == [
        ["Dear Casey,"],
        ["Thank you.", "We chose another candidate."],
        ["Best,", "Sam"],
    ]
    assert paragraphs("") == []


FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def test_the_first_sign_in_of_an_account_is_never_a_new_device() -> None:
    assert not is_new_device(FIREFOX, signed_in_before=False, recent_agents=[])


def test_a_browser_not_seen_recently_is_new() -> None:
    assert is_new_device(FIREFOX, signed_in_before=True, recent_agents=[])
    assert is_new_device(FIREFOX, signed_in_before=True, recent_agents=["curl/8.0", None])
    assert not is_new_device(FIREFOX, signed_in_before=True, recent_agents=["x", FIREFOX])


def test_no_user_agent_matches_a_session_without_one() -> None:
    assert not is_new_device(None, signed_in_before=True, recent_agents=[None])
    assert not is_new_device("", signed_in_before=True, recent_agents=[None])
    assert is_new_device(None, signed_in_before=True, recent_agents=[FIREFOX])
