#!/usr/bin/env python3
# -*- coding: utf-8 -*-
import contextlib

def count(path):
    with contextlib.closing(open(path)) as f:
        return sum(1 for _ in f)
