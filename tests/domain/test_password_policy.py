import pytest

from app.services.password_policy import MAX_LENGTH, password_problem

ADA = ("ada.lovelace@example.org", "Ada Lovelace")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-one", "at least 12"),
        ("x" * (MAX_LENGTH + 1), "at most"),
        ("123456789012", "too easy to guess"),
        ("passwordpassword", "too easy to guess"),
        ("qwertyuiopasdf", "too easy to guess"),
        ("hireladder-demo", "product's name"),
        ("My HireLadder 2026!", "product's name"),
        ("ada.lovelace@example.org", "own name or e-mail"),
        ("lovelace-is-great-99", "own name or e-mail"),
        ("Ada Lovelace forever", "own name or e-mail"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, problem):
    found = password_problem(password, personal=ADA)
    assert found is not None
    assert problem in found


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "Tr0ub4dor&3-quill-marsh", "violet kettle on the moor"],
)
def test_strong_passwords_pass(password):
    assert password_problem(password, personal=ADA) is None


def test_the_same_password_is_fine_for_someone_else():
    assert password_problem("lovelace-is-great-99", personal=("bob@example.org", "Bob")) is None


def test_a_very_short_name_is_not_a_word_to_avoid():
    assert password_problem("correct horse battery staple", personal=("r@example.org", "R")) is None
