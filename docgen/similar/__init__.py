"""Copied passages across applications, years and the notice itself (一票否决 for 照抄照搬、抄袭拼凑)."""
