#!/usr/bin/env python3
# -*- coding: utf-8 -*-

def count(path):
    with open(path) as f:
        return sum(1 for _ in f)
