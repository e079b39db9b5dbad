"""The moderators' editorial work: themes, key comments, official replies, paper and
event feedback, the summary."""
