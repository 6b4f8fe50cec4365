"""Stage 3: did educators' knowledge, skills and dispositions change, and what are they concerned about?"""
