from decimal import Decimal

import pytest
from pydantic import TypeAdapter, ValidationError

from docgen.models.common import (
    CreditCode,
    Email,
    Mobile,
    Phone,
    Postcode,
    credit_code_check_char,
    money_text,
    round_half_up,
)


def check(type_, value):
    return TypeAdapter(type_).validate_python(value)


@pytest.mark.parametrize("code", ["91350100M000100Y43", "124103004159637221", "91410100MA47K3RBXH"])
def test_valid_credit_codes(code):
    assert check(CreditCode, code) == code


def test_credit_code_check_character():
    good = "91350100M000100Y43"
    with pytest.raises(ValidationError, match="校验位不符：末位应为“3”"):
        check(CreditCode, good[:-1] + "4")
    with pytest.raises(ValidationError, match="应为 18 位"):
        check(CreditCode, good[:-1])
    with pytest.raises(ValidationError, match="不允许的字符"):
        check(CreditCode, "I" + good[1:])
    assert credit_code_check_char(good[:17]) == "3"


@pytest.mark.parametrize("value", ["0379-62211339", "037962211339", "0371-6555666-801", "13803790001"])
def test_phones(value):
    assert check(Phone, value)


@pytest.mark.parametrize("value", ["62211339", "0379-622", "phone"])
def test_bad_phones(value):
    with pytest.raises(ValidationError, match="区号-号码"):
        check(Phone, value)


def test_mobile_email_postcode():
    assert check(Mobile, "138 0379 0001") == "13803790001"
    with pytest.raises(ValidationError, match="11 位"):
        check(Mobile, "1380379000")
    with pytest.raises(ValidationError, match="邮箱"):
        check(Email, "a@b")
    assert check(Postcode, "471000") == "471000"
    with pytest.raises(ValidationError, match="6 位数字"):
        check(Postcode, "47100")


def test_round_half_up_and_money():
    assert round_half_up(Decimal("85.125")) == Decimal("85.13")
    assert round_half_up(Decimal("2.675")) == Decimal("2.68")
    assert money_text(750000) == "75万"
    assert money_text(201600) == "20.16万"
