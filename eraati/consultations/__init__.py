"""Topics and everything residents do on them: comments, stances, votes, polls, follows."""
