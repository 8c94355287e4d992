"""The build's steps: decide the path (decide), then load, lay out, render and index
(full) or patch (edit); the state one build hands the next (state), and its report."""
