"""The paper's Table 1 re-computed (quick sizes) for one network, beside the paper's figures.

    python examples/paper_table.py          # writes results/table1-quick/ in the current folder

Each figure is DDP's mean reduction against a baseline, 100 (Z_DDP - Z_X) / Z_X: negative
when DDP is faster.
"""

from experiments import Options, run_experiment


def main() -> None:
    result = run_experiment("table1", Options(quick=True, networks=["resnet3d50"],
                                              progress=False))
    print("interval  baseline   ours (%)  paper (%)")
    for row in result.rows:
        paper = "" if row["paper_pct"] is None else f"{row['paper_pct']:9.2f}"
        print(f"{row['setting']['interval']:>8}  {row['baseline']:>8}  "
              f"{row['reduction_pct']:9.2f}  {paper}")
    print(f"saved in {result.folder}/")


# The guard is needed: experiments may start worker processes, which import this file again.
if __name__ == "__main__":
    main()
