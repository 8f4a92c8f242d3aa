from accounts.permissions import mask_middle, mask_nik, mask_phone


def test_masks_keep_only_what_they_say():
    assert mask_nik("3209144508950001") == "3209••••••••0001"
    assert mask_phone("081234567890") == "0812••••••90"
    # nothing kept at either end: every character hidden (the address in a masked export)
    assert mask_middle("Dusun Kulon RT 01/02", keep_start=0, keep_end=0) == "•" * 20
    assert mask_middle("abc", keep_start=2, keep_end=2) == "•••"
