import { defineConfig } from 'allure';

// Allure Report 3 run by hand (`npx allure generate reports/allure-results -c allurerc.mjs`): the
// report `vg report` builds (src/cli/report.ts holds the reasons), one self-contained HTML file,
// history carried in a JSONL file. Only claim regions and the training overview are shown. Unlike
// `vg report`, which restates each region's status by its verdict (refuted failed, holds passed:
// src/report/verdict-status.ts) and names the run, by hand the statuses stay vitest's (passed when
// the verdict matched its expectation), so here the verdicts are read from the labels.
const OVERVIEW_EPICS = ['Training experiments'];
const isClaim = (tr) => tr.labels.some((l) => l.name === 'verdict' || l.name === 'overview' || (l.name === 'epic' && OVERVIEW_EPICS.includes(l.value)));

const label = (labels, name) => labels.find((l) => l.name === name)?.value;
const differs = (labels) => label(labels, 'verdict') !== undefined && label(labels, 'verdict') !== label(labels, 'expected');

export const shared = {
  name: "Vanishing gradients: verdicts on the document's claims",
  output: './reports/allure-report',
  hideLabels: ['framework', 'language', 'host', 'thread', 'package', 'parentSuite', 'suite', 'subSuite', 'section'],
  globalAttachments: ['./reports/verdicts.svg'],
  categories: {
    rules: [
      // A split region matches its expectation only inside its band, which only its record knows: `vg report` reads it there.
      { name: 'Verdict differs from the registered one', matchers: (d) => differs(d.labels), groupBy: [{ label: 'feature' }], expand: true },
      {
        name: 'Regions by verdict',
        matchers: (d) => d.labels.some((l) => l.name === 'verdict'),
        groupBy: [{ label: 'verdict' }],
        groupByMessage: false,
        expand: true,
      },
    ],
  },
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportName: "Vanishing gradients: verdicts on the document's claims",
        reportLanguage: 'en',
        groupBy: ['epic', 'feature'],
        defaultSortBy: 'name,asc',
        stepTreeExpansion: 'expanded',
        filter: isClaim,
      },
    },
  },
};

export default defineConfig({ ...shared, historyPath: './reports/history/history.jsonl', historyLimit: 10 });
