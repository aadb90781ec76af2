import { verifySection } from './verify-section.js';

verifySection('Empirical Demonstration');
