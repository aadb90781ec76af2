import { verifySection } from './verify-section.js';

verifySection('Gradient Flow Through Time');
