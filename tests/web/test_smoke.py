def test_home_is_chinese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in response.text
    assert "桐庐县" in response.text or "江南镇" in response.text


def test_home_in_english_with_lang(client):
    response = client.get("/?lang=en")
    assert '<html lang="en">' in response.text
