from flows.pipeline.progress import RichBar


def test_the_bar_redraws_once_a_second_not_ten_times():
    # It moves once a batch; rich's default (10 redraws a second) cost the run's parent 1.4%
    # of a core, once a second 0.3% (bench/RESULTS.md, issue 16).
    assert RichBar()._progress.live.refresh_per_second == 1
