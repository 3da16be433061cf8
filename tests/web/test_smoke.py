def test_login_page_renders(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Sign in to HireLadder" in response.data


def test_sign_in_with_the_form_reaches_home(auth, client, make_user):
    make_user("ada@example.org", name="Ada Lovelace")
    response = auth.login_form("ADA@example.org")
    assert response.status_code == 302
    page = client.get("/")
    assert b"Welcome, Ada Lovelace" in page.data
