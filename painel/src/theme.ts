import { Badge, createTheme, defaultVariantColorsResolver, parseThemeColor, type CSSVariablesResolver, type VariantColorsResolver } from '@mantine/core';

/**
 * WCAG AA for tinted text: the light and subtle variants (badges, active links, subtle buttons)
 * write in shade 9 in the light theme (shade 6 reaches 2.2–3.8:1 on its own tint), shade 3 in the dark one.
 */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (parsed.isThemeColor && (input.variant === 'light' || input.variant === 'subtle' || input.variant === 'outline')) {
    return { ...colors, color: corDeTexto(parsed.color) };
  }
  return colors;
};

/**
 * Text in a theme colour that stays AA in both schemes, as the light variants write it: shade 9
 * darkened in the light theme, shade `escuro` (3; 2 over a tinted background) in the dark one.
 * For `c=`/`color:` where a fixed shade (`red.8`) would vanish on the dark theme's grey.
 */
export function corDeTexto(cor: string, escuro: 2 | 3 = 3): string {
  return `light-dark(color-mix(in srgb, var(--mantine-color-${cor}-9), black 22%), var(--mantine-color-${cor}-${escuro}))`;
}


export const theme = createTheme({
  primaryColor: 'indigo',
  // Filled buttons: white on indigo-8 (5.4:1); indigo-6 is 4.3:1.
  primaryShade: { light: 8, dark: 8 },
  variantColorResolver,
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '650' },
  components: {
    Table: { defaultProps: { verticalSpacing: 'sm', horizontalSpacing: 'md' } },
    Tooltip: { defaultProps: { withArrow: true } },
    // Mantine's close buttons are icons without a name: screen readers would announce "botão".
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Fechar' } } },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Fechar' } } },
    // Badges in table cells must never shrink into "ATI…": their text is short and must be whole.
    Badge: Badge.extend({ styles: { root: { minWidth: 'fit-content', flexShrink: 0 }, label: { overflow: 'visible' } } }),
  },
});

/**
 * WCAG AA (4.5:1) for secondary text: Mantine's "dimmed" (gray-6 on white, 3.3:1; dark-2 on
 * dark-7) is used for helper text and descriptions everywhere, so it is darkened (lightened in the
 * dark theme) once here.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#5c636a' },
  dark: { '--mantine-color-dimmed': '#b4b8bd' },
});
