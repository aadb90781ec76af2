import { defineConfig } from 'allure';

// Allure Report 3 run by hand (`npx allure generate reports/allure-results -c allurerc.mjs`): the same
// report `vg report` builds (src/cli/report.ts holds the reasons), one self-contained HTML file,
// history carried in a JSONL file. Only claim regions and the training overview are shown.
const OVERVIEW_EPICS = ['Training experiments'];
const isClaim = (tr) => tr.labels.some((l) => l.name === 'verdict' || l.name === 'overview' || (l.name === 'epic' && OVERVIEW_EPICS.includes(l.value)));

export const shared = {
  name: 'Vanishing gradients: verdicts on the document\'s claims',
  output: './reports/allure-report',
  hideLabels: ['framework', 'language', 'host', 'thread', 'package', 'parentSuite', 'suite', 'subSuite', 'section'],
  globalAttachments: ['./reports/verdicts.svg'],
  categories: { rules: [
    { name: 'Measured differs from the expectation', matchers: { statuses: ['failed', 'broken'] }, groupBy: [{ label: 'feature' }], expand: true },
    { name: 'Regions by verdict', matchers: (d) => d.labels.some((l) => l.name === 'verdict'), groupBy: [{ label: 'verdict' }], groupByMessage: false, expand: true },
  ] },
  plugins: {
    awesome: {
      options: { singleFile: true, reportName: 'Vanishing gradients: claims', reportLanguage: 'en', groupBy: ['epic', 'feature'], defaultSortBy: 'name,asc', stepTreeExpansion: 'expanded', filter: isClaim },
    },
  },
};

export default defineConfig({ ...shared, historyPath: './reports/history/history.jsonl', historyLimit: 10 });
