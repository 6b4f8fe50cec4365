"""Stage 5, student results: did students' results improve for every group, and does the growth
tie back to the learning, through practice? The whole chain of evidence, per educator."""
